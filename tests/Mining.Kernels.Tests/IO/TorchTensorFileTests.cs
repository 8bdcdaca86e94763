using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using Mining.Kernels.IO;

namespace Mining.Kernels.Tests.IO;

/// <summary>
/// <see cref="TorchTensorFile"/> on the reference's released OneVision codebook (values checked with Python's zipfile
/// and struct, see tests/fixtures/reference-codebooks/README.md) and on files whose pickle the tests spell out byte by
/// byte, as pickletools documents the opcodes.
/// </summary>
public sealed class TorchTensorFileTests
{
    internal static string ReleasedOnevision => Path.Combine(TestData.Root, "fixtures", "reference-codebooks", "llava-onevision-qwen2-7b.prototypes.pt");

    [Fact]
    public void The_released_onevision_codebook_is_one_float16_tensor_of_45_by_3584()
    {
        var array = TorchTensorFile.Read(ReleasedOnevision);
        Assert.Equal([45, 3584], array.Shape);
        Assert.Equal(NpyDType.Float16, array.DType);
    }

    [Fact]
    public void The_released_onevision_codebook_holds_the_bytes_python_checked()
    {
        var array = TorchTensorFile.Read(ReleasedOnevision);
        Assert.Equal("ad8b2d2e2010e4e9e6e1ec50de9765aa4f46f269da3de628f744efe2714224e2", Convert.ToHexStringLower(SHA256.HashData(array.Data)));

        // Elements as Python's struct.unpack('<e') printed them.
        Half At(int row, int column) => BitConverter.ToHalf(array.Data, 2 * (row * 3584 + column));
        Assert.Equal((Half)(-0.57421875), At(0, 0));
        Assert.Equal((Half)(-0.93603515625), At(0, 1));
        Assert.Equal((Half)(-0.391357421875), At(0, 3583));
        Assert.Equal((Half)(-1.5859375), At(1, 0));
        Assert.Equal((Half)(-0.336181640625), At(44, 3583));
    }

    [Fact]
    public void A_transposed_tensor_comes_out_in_c_order()
    {
        // Storage 0..5; size (3, 2), stride (1, 3): element [i, j] is storage element i + 3j.
        var path = TorchFile.Write(TorchFile.TensorPickle("FloatStorage", 6, offset: 0, size: [3, 2], stride: [1, 3]), Floats(0, 1, 2, 3, 4, 5));
        var array = TorchTensorFile.Read(path);
        Assert.Equal([3, 2], array.Shape);
        Assert.Equal([0f, 3f, 1f, 4f, 2f, 5f], array.ToFloat32());
    }

    [Fact]
    public void A_view_at_a_storage_offset_starts_there()
    {
        // Rows 1..2 of a [3, 2] storage: offset 2.
        var path = TorchFile.Write(TorchFile.TensorPickle("FloatStorage", 6, offset: 2, size: [2, 2], stride: [2, 1]), Floats(0, 1, 2, 3, 4, 5));
        Assert.Equal([2f, 3f, 4f, 5f], TorchTensorFile.Read(path).ToFloat32());
    }

    [Fact]
    public void A_file_without_a_byteorder_record_reads_as_little_endian()
    {
        // PyTorch before 1.10 wrote no byteorder record: the released LLaVA-1.5 codebook is such a file.
        var path = TorchFile.Write(TorchFile.TensorPickle("HalfStorage", 2, offset: 0, size: [1, 2], stride: [2, 1]), [0x00, 0x3c, 0x00, 0xc0], byteOrder: null);
        Assert.Equal([1f, -2f], TorchTensorFile.Read(path).ToFloat32());
    }

    [Fact]
    public void A_big_endian_file_is_refused()
    {
        var path = TorchFile.Write(TorchFile.TensorPickle("FloatStorage", 1, offset: 0, size: [1, 1], stride: [1, 1]), Floats(1), byteOrder: "big");
        var e = Assert.Throws<InvalidDataException>(() => TorchTensorFile.Read(path));
        Assert.Contains(path, e.Message);
        Assert.Contains("'big'", e.Message);
    }

    [Fact]
    public void A_state_dict_is_refused_as_not_a_single_tensor()
    {
        // {} : EMPTY_DICT, STOP.
        var path = TorchFile.Write([0x80, 0x02, (byte)'}', (byte)'.'], []);
        var e = Assert.Throws<InvalidDataException>(() => TorchTensorFile.Read(path));
        Assert.Contains(path, e.Message);
        Assert.Contains("a dict of 0 entries, not a single tensor", e.Message);
    }

    [Fact]
    public void A_pickle_that_calls_anything_else_is_refused_by_name_without_running_it()
    {
        // os.system('true'): GLOBAL, MARK, BINUNICODE, TUPLE, REDUCE, STOP.
        var code = new List<byte> { 0x80, 0x02 };
        code.AddRange(Encoding.ASCII.GetBytes("cos\nsystem\n("));
        code.AddRange(TorchFile.Unicode("true"));
        code.AddRange("tR."u8.ToArray());
        var path = TorchFile.Write([.. code], []);
        var e = Assert.Throws<InvalidDataException>(() => TorchTensorFile.Read(path));
        Assert.Contains("refers to os.system", e.Message);
    }

    [Fact]
    public void A_bfloat16_tensor_is_refused_naming_its_storage_type()
    {
        var path = TorchFile.Write(TorchFile.TensorPickle("BFloat16Storage", 2, offset: 0, size: [1, 2], stride: [2, 1]), new byte[4]);
        var e = Assert.Throws<InvalidDataException>(() => TorchTensorFile.Read(path));
        Assert.Contains("torch.BFloat16Storage", e.Message);
    }

    [Fact]
    public void A_tensor_reaching_past_its_storage_is_refused()
    {
        var path = TorchFile.Write(TorchFile.TensorPickle("FloatStorage", 4, offset: 1, size: [2, 2], stride: [2, 1]), Floats(0, 1, 2, 3));
        var e = Assert.Throws<InvalidDataException>(() => TorchTensorFile.Read(path));
        Assert.Contains("reaches element 4 of a storage of 4", e.Message);
    }

    [Fact]
    public void A_file_that_is_not_a_zip_is_refused_as_a_legacy_or_foreign_file()
    {
        var path = Path.Combine(TestData.NewTempFolder(), "legacy.pt");
        File.WriteAllBytes(path, [0x80, 0x02, 0x8a, 0x0a, 0x6c, 0xfc, 0x9c, 0x46, 0xf9, 0x20, 0x6a, 0xa8, 0x50, 0x19, (byte)'.']);
        var e = Assert.Throws<InvalidDataException>(() => TorchTensorFile.Read(path));
        Assert.Contains(path, e.Message);
        Assert.Contains("not a zip-format PyTorch file", e.Message);
    }

    private static byte[] Floats(params float[] values) => values.SelectMany(BitConverter.GetBytes).ToArray();

    /// <summary>Writes PyTorch's zip layout by hand: archive/data.pkl, archive/data/0, archive/byteorder, archive/version.</summary>
    internal static class TorchFile
    {
        public static string Write(byte[] pickle, byte[] storage, string? byteOrder = "little")
        {
            var path = Path.Combine(TestData.NewTempFolder(), "tensor.pt");
            using (var zip = ZipFile.Open(path, ZipArchiveMode.Create))
            {
                void Add(string name, byte[] bytes)
                {
                    using var stream = zip.CreateEntry($"archive/{name}", CompressionLevel.NoCompression).Open();
                    stream.Write(bytes);
                }

                Add("data.pkl", pickle);
                if (byteOrder is not null)
                {
                    Add("byteorder", Encoding.ASCII.GetBytes(byteOrder));
                }

                Add("data/0", storage);
                Add("version", "3\n"u8.ToArray());
            }

            return path;
        }

        /// <summary>
        /// The pickle <c>torch.save(tensor)</c> writes (protocol 2), spelt out: <c>_rebuild_tensor_v2(persid(('storage',
        /// torch.&lt;type&gt;, '0', 'cpu', numel)), offset, size, stride, False, OrderedDict())</c>.
        /// </summary>
        public static byte[] TensorPickle(string storageType, int elements, int offset, int[] size, int[] stride)
        {
            var code = new List<byte> { 0x80, 0x02 };
            code.AddRange(Encoding.ASCII.GetBytes("ctorch._utils\n_rebuild_tensor_v2\n(("));
            code.AddRange(Unicode("storage"));
            code.AddRange(Encoding.ASCII.GetBytes($"ctorch\n{storageType}\n"));
            code.AddRange(Unicode("0"));
            code.AddRange(Unicode("cpu"));
            code.AddRange(Int(elements));
            code.Add((byte)'t'); // TUPLE: the persistent id
            code.Add((byte)'Q'); // BINPERSID
            code.AddRange(Int(offset));
            code.Add((byte)'(');
            foreach (var n in size)
            {
                code.AddRange(Int(n));
            }

            code.Add((byte)'t');
            code.Add((byte)'(');
            foreach (var s in stride)
            {
                code.AddRange(Int(s));
            }

            code.Add((byte)'t');
            code.Add(0x89); // NEWFALSE: requires_grad
            code.AddRange(Encoding.ASCII.GetBytes("ccollections\nOrderedDict\n)R")); // OrderedDict()
            code.AddRange("tR."u8.ToArray()); // the argument tuple, REDUCE, STOP
            return [.. code];
        }

        /// <summary>BINUNICODE: 'X', a 4-byte little-endian length, UTF-8.</summary>
        public static byte[] Unicode(string text)
        {
            var bytes = Encoding.UTF8.GetBytes(text);
            return [(byte)'X', .. BitConverter.GetBytes(bytes.Length), .. bytes];
        }

        /// <summary>BININT: 'J' and a 4-byte little-endian integer.</summary>
        private static byte[] Int(int value) => [(byte)'J', .. BitConverter.GetBytes(value)];
    }
}
