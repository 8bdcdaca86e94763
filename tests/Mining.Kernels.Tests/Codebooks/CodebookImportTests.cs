using System.Text.Json;
using System.Text;
using Mining.Kernels.Codebooks;
using Mining.Kernels.IO;
using Mining.Probe.Codebooks;

namespace Mining.Kernels.Tests.Codebooks;

public sealed class CodebookImportTests
{
    internal static string ReferenceNpy => Path.Combine(TestData.Root, "fixtures", "reference-codebooks", "llava-v1.5-7b.prototypes.npy");

    internal static string ReferenceIds => Path.Combine(TestData.Root, "fixtures", "reference-codebooks", "llava-v1.5-7b.source-image-ids.json");

    private const string Model = "llava-hf/llava-1.5-7b-hf";

    /// <summary>The .npy's float16 payload decoded by hand: skip the v1.0 header, BitConverter.ToHalf per element.</summary>
    private static float[] PlainFloat16Decode(string npyPath)
    {
        var bytes = File.ReadAllBytes(npyPath);
        Assert.Equal(1, bytes[6]);
        var dataStart = 10 + BitConverter.ToUInt16(bytes, 8);
        var header = Encoding.ASCII.GetString(bytes, 10, dataStart - 10);
        Assert.Contains("'<f2'", header);
        Assert.Contains("(454, 4096)", header);
        var values = new float[(bytes.Length - dataStart) / 2];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = (float)BitConverter.ToHalf(bytes, dataStart + 2 * i);
        }

        return values;
    }

    [Fact]
    public void The_released_codebook_imports_as_454_prototypes_of_width_4096()
    {
        var codebook = CodebookImport.FromNpy(ReferenceNpy, ReferenceIds, Model);
        Assert.Equal(454, codebook.Count);
        Assert.Equal(4096, codebook.Metadata.HiddenSize);
        Assert.Equal(Model, codebook.Metadata.Model);
        Assert.All(codebook.Entries, e => Assert.Equal(4096, e.Embedding.Length));
        Assert.Equal(Enumerable.Range(0, 454), codebook.Entries.Select(e => e.PrototypeId));
    }

    [Fact]
    public void Imported_rows_carry_their_source_image_ids_in_order()
    {
        var ids = JsonSerializer.Deserialize<string[]>(File.ReadAllText(ReferenceIds))!;
        var codebook = CodebookImport.FromNpy(ReferenceNpy, ReferenceIds, Model);
        Assert.Equal(ids, codebook.Entries.Select(e => e.SourceImageId));
        Assert.Equal("55298", codebook.Entries[0].SourceImageId);
    }

    [Fact]
    public void Imported_rows_mark_cluster_provenance_unknown()
    {
        var codebook = CodebookImport.FromNpy(ReferenceNpy, ReferenceIds, Model);
        Assert.All(codebook.Entries, e => Assert.Equal((-1, 0, 1), (e.ClusterId, e.ClusterUniqueImages, e.Members)));
        Assert.Empty(codebook.Metadata.JobIds);
        Assert.Equal("""{"imported_from":"llava-v1.5-7b.prototypes.npy"}""", codebook.Metadata.ParametersJson);
    }

    [Fact]
    public void The_released_codebook_survives_parquet_with_its_float16_values_exact()
    {
        var expected = PlainFloat16Decode(ReferenceNpy);
        var path = Path.Combine(TestData.NewTempFolder(), "llava-v1.5-7b.parquet");
        CodebookParquet.Write(CodebookImport.FromNpy(ReferenceNpy, ReferenceIds, Model), path);

        var back = CodebookParquet.Read(path);

        Assert.Equal(454, back.Count);
        Assert.Equal(4096, back.Metadata.HiddenSize);
        var actual = back.Entries.SelectMany(e => e.Embedding).ToArray();
        Assert.Equal(expected.Length, actual.Length);
        var firstDifference = Enumerable.Range(0, expected.Length).FirstOrDefault(i => BitConverter.SingleToInt32Bits(expected[i]) != BitConverter.SingleToInt32Bits(actual[i]), -1);
        Assert.Equal(-1, firstDifference);
    }

    [Fact]
    public void Without_an_ids_file_rows_are_named_by_their_index()
    {
        var path = Path.Combine(TestData.NewTempFolder(), "small.npy");
        NpyFile.Write(path, NpyArray.FromFloat32([1f, 2f, 3f, 4f, 5f, 6f], 3, 2));
        var codebook = CodebookImport.FromNpy(path, null, Model);
        Assert.Equal(["row-0", "row-1", "row-2"], codebook.Entries.Select(e => e.SourceImageId));
        Assert.Equal([5f, 6f], codebook.Entries[2].Embedding);
    }

    [Fact]
    public void An_ids_file_with_another_count_than_the_rows_is_refused()
    {
        var folder = TestData.NewTempFolder();
        var npy = Path.Combine(folder, "small.npy");
        var ids = Path.Combine(folder, "ids.json");
        NpyFile.Write(npy, NpyArray.FromFloat32([1f, 2f, 3f, 4f, 5f, 6f], 3, 2));
        File.WriteAllText(ids, """["a", "b"]""");
        var e = Assert.Throws<InvalidDataException>(() => CodebookImport.FromNpy(npy, ids, Model));
        Assert.Contains(ids, e.Message);
        Assert.Contains("holds 2 source image ids but the codebook has 3 rows", e.Message);
    }

    [Fact]
    public void An_ids_file_that_is_not_an_array_of_strings_is_refused()
    {
        var folder = TestData.NewTempFolder();
        var npy = Path.Combine(folder, "small.npy");
        var ids = Path.Combine(folder, "ids.json");
        NpyFile.Write(npy, NpyArray.FromFloat32([1f, 2f], 1, 2));
        File.WriteAllText(ids, "[55298]");
        var e = Assert.Throws<InvalidDataException>(() => CodebookImport.FromNpy(npy, ids, Model));
        Assert.Contains(ids, e.Message);
        Assert.Contains("JSON array of strings", e.Message);
    }

    [Fact]
    public void A_one_dimensional_array_is_refused_with_its_shape()
    {
        var path = Path.Combine(TestData.NewTempFolder(), "flat.npy");
        NpyFile.Write(path, NpyArray.FromFloat32([1f, 2f, 3f], 3));
        var e = Assert.Throws<InvalidDataException>(() => CodebookImport.FromNpy(path, null, Model));
        Assert.Contains(path, e.Message);
        Assert.Contains("2-D", e.Message);
        Assert.Contains("[3]", e.Message);
    }

    [Fact]
    public void An_integer_array_is_refused_with_its_dtype()
    {
        var path = Path.Combine(TestData.NewTempFolder(), "ints.npy");
        NpyFile.Write(path, new NpyArray([2, 2], NpyDType.Int32, new byte[16]));
        var e = Assert.Throws<InvalidDataException>(() => CodebookImport.FromNpy(path, null, Model));
        Assert.Contains(path, e.Message);
        Assert.Contains("Int32", e.Message);
    }

    [Fact]
    public void A_malformed_npy_file_is_refused_with_its_name()
    {
        var path = Path.Combine(TestData.NewTempFolder(), "broken.npy");
        File.WriteAllBytes(path, [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0, 200, 0, (byte)'{']);
        var e = Assert.Throws<InvalidDataException>(() => CodebookImport.FromNpy(path, null, Model));
        Assert.Contains(path, e.Message);
    }

    [Fact]
    public void A_non_finite_value_is_refused_with_its_position()
    {
        var path = Path.Combine(TestData.NewTempFolder(), "nan.npy");
        NpyFile.Write(path, NpyArray.FromFloat32([1f, 2f, 3f, float.NaN], 2, 2));
        var e = Assert.Throws<InvalidDataException>(() => CodebookImport.FromNpy(path, null, Model));
        Assert.Contains("row 1, column 1", e.Message);
    }

    [Fact]
    public void A_float32_npy_imports_its_values_unchanged()
    {
        var path = Path.Combine(TestData.NewTempFolder(), "f32.npy");
        float[] values = [0.1f, -2.5e-8f, 3e30f, -0f];
        NpyFile.Write(path, NpyArray.FromFloat32(values, 2, 2));
        var codebook = CodebookImport.FromNpy(path, null, Model);
        Assert.Equal(values, codebook.Entries.SelectMany(e => e.Embedding));
    }
}
