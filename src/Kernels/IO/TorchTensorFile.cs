using System.IO.Compression;
using System.Text;

namespace Mining.Kernels.IO;

/// <summary>
/// Reads the one dense tensor that <c>torch.save(tensor, path)</c> wrote, without PyTorch: the zip format of PyTorch
/// 1.6 and later, a float16, float32 or float64 tensor of any shape and strides, returned in C order.
/// </summary>
/// <remarks>
/// Such a file is an uncompressed zip holding <c>&lt;name&gt;/data.pkl</c> (a pickle whose only object is
/// <c>torch._utils._rebuild_tensor_v2(storage, offset, size, stride, requires_grad, hooks)</c>, the storage named by a
/// persistent id <c>('storage', torch.HalfStorage, key, location, numel)</c>), <c>&lt;name&gt;/data/&lt;key&gt;</c> (the
/// storage's raw bytes) and, from PyTorch 1.10 on, <c>&lt;name&gt;/byteorder</c> (absent means little-endian). The
/// pickle is interpreted by <see cref="TorchPickle"/>, which runs no code and accepts those objects alone, so anything
/// else (a state dict, a module, a list of tensors) is refused by name rather than guessed at.
/// Format: PyTorch's torch/serialization.py (<c>_save</c>, <c>_load</c>) and torch/_tensor.py (<c>_reduce_ex_internal</c>).
/// </remarks>
public static class TorchTensorFile
{
    private static readonly byte[] ZipMagic = [(byte)'P', (byte)'K', 3, 4];

    /// <summary>Whether <paramref name="path"/> starts like a zip file (which a PyTorch file of 1.6 and later is).</summary>
    public static bool LooksLikeTorchZip(string path)
    {
        Span<byte> head = stackalloc byte[4];
        using var stream = File.OpenRead(path);
        return stream.ReadAtLeast(head, 4, throwOnEndOfStream: false) == 4 && head.SequenceEqual(ZipMagic);
    }

    /// <summary>Reads the tensor in <paramref name="path"/>; anything but one dense floating-point tensor raises <see cref="InvalidDataException"/> naming the file.</summary>
    public static NpyArray Read(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        try
        {
            if (!LooksLikeTorchZip(path))
            {
                throw new InvalidDataException(
                    $"{path}: not a zip-format PyTorch file (what torch.save writes since PyTorch 1.6); re-save it with a current PyTorch, or convert the tensor to .npy");
            }

            ZipArchive zip;
            try
            {
                zip = ZipFile.OpenRead(path);
            }
            catch (InvalidDataException e)
            {
                throw new InvalidDataException($"{path}: not a readable zip-format PyTorch file: {e.Message}", e);
            }

            using (zip)
            {
                return Read(zip, path);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InvalidDataException($"{path}: cannot read PyTorch file: {e.Message}", e);
        }
    }

    private static NpyArray Read(ZipArchive zip, string path)
    {
        var pickles = zip.Entries.Where(e => e.FullName == "data.pkl" || e.FullName.EndsWith("/data.pkl", StringComparison.Ordinal)).ToArray();
        if (pickles.Length != 1)
        {
            throw new InvalidDataException($"{path}: a PyTorch file holds one data.pkl record, found {pickles.Length}; not a file torch.save wrote");
        }

        var prefix = pickles[0].FullName[..^"data.pkl".Length];
        if (zip.GetEntry(prefix + "byteorder") is { } byteOrder)
        {
            var order = Encoding.ASCII.GetString(ReadAll(byteOrder, path)).Trim();
            if (order != "little")
            {
                throw new InvalidDataException($"{path}: the tensor was saved with byte order '{order}'; only little-endian files are read");
            }
        }

        var tensor = TorchPickle.ReadTensor(ReadAll(pickles[0], path), path);
        var storageEntry = zip.GetEntry($"{prefix}data/{tensor.Storage.Key}")
            ?? throw new InvalidDataException($"{path}: the tensor's storage record 'data/{tensor.Storage.Key}' is missing");
        var storage = ReadAll(storageEntry, path);
        var elementSize = NpyArray.ElementSize(tensor.Storage.DType);
        if (storage.LongLength < tensor.Storage.Elements * elementSize)
        {
            throw new InvalidDataException(
                $"{path}: storage 'data/{tensor.Storage.Key}' holds {storage.LongLength} bytes, fewer than its {tensor.Storage.Elements} {tensor.Storage.DType} elements need");
        }

        return new NpyArray(tensor.Size.Select(d => checked((int)d)).ToArray(), tensor.Storage.DType, Gather(tensor, storage, elementSize, path));
    }

    /// <summary>The tensor's elements in C order: element (i₀, …, iₙ) is storage element offset + Σ iₖ·strideₖ.</summary>
    private static byte[] Gather(TorchPickle.TensorRecord tensor, byte[] storage, int elementSize, string path)
    {
        var count = tensor.Size.Aggregate(1L, (a, b) => checked(a * b));
        var result = new byte[checked(count * elementSize)];
        if (count == 0)
        {
            return result;
        }

        // The last element a tensor reaches bounds all others (strides are not negative).
        var last = tensor.Offset + tensor.Size.Zip(tensor.Stride, (n, s) => (n - 1) * s).Sum();
        if (last >= tensor.Storage.Elements)
        {
            throw new InvalidDataException(
                $"{path}: a tensor of size [{string.Join(", ", tensor.Size)}] and stride [{string.Join(", ", tensor.Stride)}] at offset {tensor.Offset} reaches element {last} of a storage of {tensor.Storage.Elements}");
        }

        if (IsContiguous(tensor))
        {
            Buffer.BlockCopy(storage, checked((int)(tensor.Offset * elementSize)), result, 0, result.Length);
            return result;
        }

        var index = new long[tensor.Size.Length];
        for (var i = 0L; i < count; i++)
        {
            var source = tensor.Offset;
            for (var d = 0; d < index.Length; d++)
            {
                source += index[d] * tensor.Stride[d];
            }

            Buffer.BlockCopy(storage, checked((int)(source * elementSize)), result, checked((int)(i * elementSize)), elementSize);
            for (var d = index.Length - 1; d >= 0 && ++index[d] == tensor.Size[d]; d--)
            {
                index[d] = 0;
            }
        }

        return result;
    }

    private static bool IsContiguous(TorchPickle.TensorRecord tensor)
    {
        var expected = 1L;
        for (var d = tensor.Size.Length - 1; d >= 0; d--)
        {
            if (tensor.Size[d] != 1 && tensor.Stride[d] != expected)
            {
                return false;
            }

            expected *= tensor.Size[d];
        }

        return true;
    }

    private static byte[] ReadAll(ZipArchiveEntry entry, string path)
    {
        if (entry.Length > Array.MaxLength)
        {
            throw new InvalidDataException($"{path}: record '{entry.FullName}' is {entry.Length} bytes, too large to read");
        }

        var bytes = new byte[entry.Length];
        using var stream = entry.Open();
        stream.ReadExactly(bytes);
        return bytes;
    }
}
