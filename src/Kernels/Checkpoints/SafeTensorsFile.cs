using System.Buffers.Binary;
using System.IO.MemoryMappedFiles;
using System.Runtime.InteropServices;
using System.Text.Json;
using Microsoft.Win32.SafeHandles;
using Mining.Kernels.IO;
using Mining.Kernels.Runtime;
using TorchSharp;

namespace Mining.Kernels.Checkpoints;

/// <summary>A memory-mapped <c>.safetensors</c> file: the header is parsed and checked on open, tensor data is read only when asked for.</summary>
/// <remarks>
/// Format (huggingface/safetensors README): 8-byte little-endian header length N, N bytes of JSON
/// <c>{name: {dtype, shape, data_offsets: [begin, end]}, "__metadata__": {string: string}}</c>, then the data section,
/// offsets relative to its start. Mapping instead of reading keeps a 7B checkpoint's 14 GB out of the managed heap.
/// <see cref="CopyTo"/>, the model loader's path, reads through the file handle instead: pages it touched in the map would
/// stay in the process's resident set until the file is closed, a second copy of the weights as far as memory limits see.
/// </remarks>
public sealed unsafe class SafeTensorsFile : IDisposable
{
    /// <summary>safetensors itself refuses headers over 100 MB; a larger length means a corrupt file, not a big model.</summary>
    private const long MaxHeaderBytes = 100_000_000;

    private const string MetadataKey = "__metadata__";

    /// <summary>The most bytes of a tensor <see cref="CopyTo"/> stages in host memory at a time.</summary>
    public const int CopyChunkBytes = 64 << 20;

    private readonly SafeFileHandle handle;
    private readonly long dataStart;
    private readonly MemoryMappedFile map;
    private readonly MemoryMappedViewAccessor view;
    private readonly byte* data;
    private readonly Dictionary<string, SafeTensorInfo> byName;
    private bool disposed;

    private SafeTensorsFile(string path, SafeFileHandle handle, long dataStart, MemoryMappedFile map, MemoryMappedViewAccessor view, byte* data, List<SafeTensorInfo> tensors, Dictionary<string, string> metadata)
    {
        Path = path;
        this.handle = handle;
        this.dataStart = dataStart;
        this.map = map;
        this.view = view;
        this.data = data;
        Tensors = tensors;
        Metadata = metadata;
        byName = tensors.ToDictionary(t => t.Name, StringComparer.Ordinal);
    }

    /// <summary>The file's path as given to <see cref="Open"/>.</summary>
    public string Path { get; }

    /// <summary>The tensors in header order.</summary>
    public IReadOnlyList<SafeTensorInfo> Tensors { get; }

    /// <summary>The header's <c>__metadata__</c> (empty when absent).</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>
    /// Opens and validates <paramref name="path"/>, opened as <paramref name="roots"/> allow (anywhere when null; a
    /// regular file, checked where it is opened); any defect raises <see cref="CheckpointException"/> naming the file.
    /// </summary>
    public static SafeTensorsFile Open(string path, AllowedRoots? roots = null)
    {
        SafeFileHandle handle;
        try
        {
            handle = (roots ?? AllowedRoots.Anywhere).OpenHandle(path, FileOptions.RandomAccess);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new CheckpointException($"{path}: safetensors file not found", e);
        }
        catch (InputFileException e)
        {
            throw new CheckpointException($"{path}: {e.Problem}", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CheckpointException($"{path}: cannot read safetensors file: {e.Message}", e);
        }

        MemoryMappedFile? map = null;
        MemoryMappedViewAccessor? view = null;
        try
        {
            long fileLength;
            byte[] header;
            try
            {
                fileLength = RandomAccess.GetLength(handle);
                if (fileLength < 8)
                {
                    throw new CheckpointException($"{path}: not a safetensors file: it is {fileLength} bytes long, shorter than the 8-byte header length that starts the format");
                }

                Span<byte> prefix = stackalloc byte[8];
                ReadExactly(handle, prefix, 0);

                // Errors below never echo the length: read from a file that is not weights, it is that file's first bytes.
                var headerLength = BinaryPrimitives.ReadUInt64LittleEndian(prefix);
                if (headerLength > (ulong)(fileLength - 8))
                {
                    throw new CheckpointException($"{path}: the safetensors header length (the file's first 8 bytes) runs past the end of the file: the file is truncated or not a safetensors file");
                }

                if (headerLength > MaxHeaderBytes)
                {
                    throw new CheckpointException($"{path}: the safetensors header length (the file's first 8 bytes) exceeds the format's limit of {MaxHeaderBytes} bytes: the file is not a safetensors file");
                }

                header = new byte[headerLength];
                ReadExactly(handle, header, 8);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new CheckpointException($"{path}: cannot read safetensors file: {e.Message}", e);
            }

            var dataStart = 8L + header.Length;
            var dataLength = fileLength - dataStart;
            var (tensors, metadata) = ParseHeader(header, dataLength, path);
            try
            {
                map = MemoryMappedFile.CreateFromFile(handle, null, 0, MemoryMappedFileAccess.Read, HandleInheritability.None, leaveOpen: true);
                view = map.CreateViewAccessor(0, 0, MemoryMappedFileAccess.Read);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new CheckpointException($"{path}: cannot map safetensors file: {e.Message}", e);
            }

            byte* pointer = null;
            view.SafeMemoryMappedViewHandle.AcquirePointer(ref pointer);
            return new SafeTensorsFile(path, handle, dataStart, map, view, pointer + view.PointerOffset + dataStart, tensors, metadata);
        }
        catch
        {
            view?.Dispose();
            map?.Dispose();
            handle.Dispose();
            throw;
        }
    }

    /// <summary>Fills <paramref name="buffer"/> from <paramref name="offset"/>; a file that ends first is an <see cref="EndOfStreamException"/>.</summary>
    private static void ReadExactly(SafeFileHandle handle, Span<byte> buffer, long offset)
    {
        while (buffer.Length > 0)
        {
            var read = RandomAccess.Read(handle, buffer, offset);
            if (read == 0)
            {
                throw new EndOfStreamException("the file ended early");
            }

            buffer = buffer[read..];
            offset += read;
        }
    }

    /// <summary>Whether the file holds a tensor named <paramref name="name"/>.</summary>
    public bool Contains(string name) => byName.ContainsKey(name);

    /// <summary>The header entry of <paramref name="name"/>.</summary>
    public SafeTensorInfo Info(string name) =>
        byName.TryGetValue(name, out var info)
            ? info
            : throw new CheckpointException($"{Path}: no tensor named '{name}' (the file holds {byName.Count} tensors)");

    /// <summary>The tensor's values widened to float32; F16 and BF16 convert exactly.</summary>
    public float[] ReadFloat32(string name)
    {
        var info = ReadableInfo(name);
        var values = new float[info.ElementCount];
        SafeTensorCodec.Decode(Bytes(info), info.DType, values);
        return values;
    }

    /// <summary>The tensor as a new float32 CPU tensor of its shape (the caller owns it); F16 and BF16 convert exactly.</summary>
    public torch.Tensor ReadTensor(string name)
    {
        var info = ReadableInfo(name);
        TorchRuntime.EnsureLoaded();
        var tensor = torch.empty(info.Shape, dtype: torch.ScalarType.Float32, device: torch.CPU);
        try
        {
            // Decode straight into the tensor's storage: one copy from the mapped file, no managed array.
            SafeTensorCodec.Decode(Bytes(info), info.DType, MemoryMarshal.Cast<byte, float>(tensor.bytes));
            return tensor;
        }
        catch
        {
            tensor.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Copies tensor <paramref name="name"/> into <paramref name="destination"/> — contiguous, of the same element count,
    /// any floating dtype, any device — converting from the stored dtype as <c>copy_</c> does (F16 and BF16 widen
    /// exactly; a narrower destination rounds to nearest even). The data is read from the file in pieces of at most
    /// <paramref name="chunkBytes"/> into one staging tensor of the stored dtype, so whatever the tensor's size (a
    /// 152064 × 3584 vocabulary is 2.2 GB in float32) the host holds one piece besides the destination.
    /// </summary>
    public void CopyTo(string name, torch.Tensor destination, int chunkBytes = CopyChunkBytes)
    {
        ArgumentNullException.ThrowIfNull(destination);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(chunkBytes);
        ObjectDisposedException.ThrowIf(disposed, this);
        var info = Info(name);
        var stored = StorageType(info, name);
        if (destination.numel() != info.ElementCount || !destination.is_contiguous())
        {
            throw new ArgumentException($"{Path}: tensor '{name}' {info.ShapeText} cannot be copied into a {(destination.is_contiguous() ? "" : "non-contiguous ")}tensor of {destination.numel()} elements", nameof(destination));
        }

        if (info.ElementCount == 0)
        {
            return;
        }

        var size = SafeTensorDTypeFormat.Size(info.DType);
        var pieceElements = Math.Min(Math.Max(1, chunkBytes / size), info.ElementCount);
        using var noGrad = torch.no_grad();
        using var flat = destination.view(-1);
        using var staging = torch.empty([pieceElements], dtype: stored, device: torch.CPU);
        for (var start = 0L; start < info.ElementCount; start += pieceElements)
        {
            var count = Math.Min(pieceElements, info.ElementCount - start);
            using var piece = staging.narrow(0, 0, count);
            ReadExactly(dataStart + info.Begin + (start * size), piece.bytes, name);
            using var target = flat.narrow(0, start, count);
            target.copy_(piece);
        }
    }

    /// <summary>Unmaps the file.</summary>
    public void Dispose()
    {
        if (disposed)
        {
            return;
        }

        disposed = true;
        view.SafeMemoryMappedViewHandle.ReleasePointer();
        view.Dispose();
        map.Dispose();
        handle.Dispose();
    }

    private SafeTensorInfo ReadableInfo(string name)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        var info = Info(name);
        if (!SafeTensorDTypeFormat.IsReadableAsFloat(info.DType))
        {
            throw new CheckpointException(
                $"{Path}: tensor '{name}' has dtype {SafeTensorDTypeFormat.Name(info.DType)}; only F32, F16 and BF16 weights can be read");
        }

        if (info.ElementCount * sizeof(float) > int.MaxValue)
        {
            throw new CheckpointException(
                $"{Path}: tensor '{name}' {info.ShapeText} is larger than 2 GiB in float32, more than one tensor Mining reads can hold");
        }

        return info;
    }

    /// <summary>The torch dtype whose bytes are the stored ones (safetensors and every platform TorchSharp runs on are little-endian).</summary>
    private torch.ScalarType StorageType(SafeTensorInfo info, string name) => info.DType switch
    {
        SafeTensorDType.F32 => torch.ScalarType.Float32,
        SafeTensorDType.F16 => torch.ScalarType.Float16,
        SafeTensorDType.BF16 => torch.ScalarType.BFloat16,
        _ => throw new CheckpointException(
            $"{Path}: tensor '{name}' has dtype {SafeTensorDTypeFormat.Name(info.DType)}; only F32, F16 and BF16 weights can be read"),
    };

    private void ReadExactly(long offset, Span<byte> buffer, string name)
    {
        while (buffer.Length > 0)
        {
            int read;
            try
            {
                read = RandomAccess.Read(handle, buffer, offset);
            }
            catch (IOException e)
            {
                throw new CheckpointException($"{Path}: cannot read tensor '{name}': {e.Message}", e);
            }

            if (read == 0)
            {
                throw new CheckpointException($"{Path}: tensor '{name}' runs past the end of the file (the file was truncated after it was opened)");
            }

            buffer = buffer[read..];
            offset += read;
        }
    }

    private ReadOnlySpan<byte> Bytes(SafeTensorInfo info) => new(data + info.Begin, checked((int)info.ByteLength));

    private static (List<SafeTensorInfo> Tensors, Dictionary<string, string> Metadata) ParseHeader(byte[] header, long dataLength, string path)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(header);
        }
        catch (JsonException e)
        {
            throw new CheckpointException($"{path}: safetensors header is not valid JSON: {e.Message}", e);
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new CheckpointException($"{path}: safetensors header must be a JSON object, found {document.RootElement.ValueKind}");
            }

            var tensors = new List<SafeTensorInfo>();
            var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var entry in document.RootElement.EnumerateObject())
            {
                if (entry.Name == MetadataKey)
                {
                    ParseMetadata(entry.Value, metadata, path);
                }
                else
                {
                    tensors.Add(ParseTensor(entry.Name, entry.Value, dataLength, path));
                }
            }

            return (tensors, metadata);
        }
    }

    private static void ParseMetadata(JsonElement element, Dictionary<string, string> metadata, string path)
    {
        if (element.ValueKind == JsonValueKind.Null)
        {
            return;
        }

        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new CheckpointException($"{path}: safetensors '{MetadataKey}' must be an object of strings");
        }

        foreach (var item in element.EnumerateObject())
        {
            metadata[item.Name] = item.Value.ValueKind == JsonValueKind.String ? item.Value.GetString()! : item.Value.GetRawText();
        }
    }

    private static SafeTensorInfo ParseTensor(string name, JsonElement element, long dataLength, string path)
    {
        string Where() => $"{path}: safetensors header entry '{name}'";

        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new CheckpointException($"{Where()} must be an object with dtype, shape and data_offsets");
        }

        if (!element.TryGetProperty("dtype", out var dtypeElement) || dtypeElement.ValueKind != JsonValueKind.String)
        {
            throw new CheckpointException($"{Where()} has no dtype string");
        }

        var dtypeName = dtypeElement.GetString()!;
        if (!SafeTensorDTypeFormat.TryParse(dtypeName, out var dtype))
        {
            throw new CheckpointException($"{Where()} has unknown dtype '{dtypeName}'");
        }

        var shape = ReadIntegers(element, "shape", Where);
        var offsets = ReadIntegers(element, "data_offsets", Where);
        if (offsets.Length != 2)
        {
            throw new CheckpointException($"{Where()}: data_offsets must hold two numbers [begin, end], found {offsets.Length}");
        }

        var (begin, end) = (offsets[0], offsets[1]);
        if (begin > end || end > dataLength)
        {
            throw new CheckpointException(
                $"{Where()}: data_offsets [{begin}, {end}] lie outside the data section of {dataLength} bytes (the file may be truncated)");
        }

        long count;
        try
        {
            count = shape.Aggregate(1L, (a, b) => checked(a * b));
            var expected = checked(count * SafeTensorDTypeFormat.Size(dtype));
            if (expected != end - begin)
            {
                throw new CheckpointException(
                    $"{Where()}: data_offsets [{begin}, {end}] span {end - begin} bytes but shape {SafeTensorInfo.FormatShape(shape)} of {dtypeName} needs {expected}");
            }
        }
        catch (OverflowException)
        {
            throw new CheckpointException($"{Where()}: shape {SafeTensorInfo.FormatShape(shape)} is too large");
        }

        return new SafeTensorInfo(name, dtype, shape, begin, end);
    }

    private static long[] ReadIntegers(JsonElement element, string property, Func<string> where)
    {
        if (!element.TryGetProperty(property, out var array) || array.ValueKind != JsonValueKind.Array)
        {
            throw new CheckpointException($"{where()} has no {property} array");
        }

        var values = new long[array.GetArrayLength()];
        var i = 0;
        foreach (var item in array.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Number || !item.TryGetInt64(out var value) || value < 0)
            {
                throw new CheckpointException($"{where()}: {property} must hold non-negative integers, found {item.GetRawText()}");
            }

            values[i++] = value;
        }

        return values;
    }
}
