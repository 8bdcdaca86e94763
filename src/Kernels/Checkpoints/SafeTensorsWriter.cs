using System.Buffers.Binary;
using System.Text;
using System.Text.Json;

namespace Mining.Kernels.Checkpoints;

/// <summary>Writes <c>.safetensors</c> files from float32 values, converting to F16 / BF16 (round to nearest even) when asked.</summary>
public static class SafeTensorsWriter
{
    private const int ChunkElements = 1 << 20;

    /// <summary>
    /// Writes <paramref name="tensors"/> in the order given. <paramref name="metadata"/> becomes <c>__metadata__</c>;
    /// <c>"format": "pt"</c> is added when missing because transformers refuses safetensors files without it.
    /// </summary>
    /// <remarks>
    /// The header needs every tensor's offsets before any data, so the data goes to a temporary file next to
    /// <paramref name="path"/> first: only one tensor's values are held at a time, whatever the checkpoint's size.
    /// </remarks>
    public static void Write(
        string path,
        IEnumerable<(string Name, SafeTensorDType DType, long[] Shape, float[] Values)> tensors,
        IReadOnlyDictionary<string, string>? metadata = null)
    {
        var entries = new List<SafeTensorInfo>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        var folder = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path))!;
        var scratch = System.IO.Path.Combine(folder, $".{System.IO.Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var data = new FileStream(scratch, FileMode.CreateNew, FileAccess.Write))
            {
                foreach (var (name, dtype, shape, values) in tensors)
                {
                    entries.Add(WriteData(data, name, dtype, shape, values, names));
                }
            }

            var header = Header(entries, metadata);
            using var output = new FileStream(path, FileMode.Create, FileAccess.Write);
            Span<byte> length = stackalloc byte[8];
            BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)header.Length);
            output.Write(length);
            output.Write(header);
            using var input = new FileStream(scratch, FileMode.Open, FileAccess.Read);
            input.CopyTo(output);
        }
        finally
        {
            File.Delete(scratch);
        }
    }

    private static SafeTensorInfo WriteData(Stream data, string name, SafeTensorDType dtype, long[] shape, float[] values, HashSet<string> names)
    {
        if (string.IsNullOrEmpty(name) || name == "__metadata__" || !names.Add(name))
        {
            throw new ArgumentException($"tensor name '{name}' is empty, reserved or repeated", nameof(name));
        }

        if (!SafeTensorDTypeFormat.IsReadableAsFloat(dtype))
        {
            throw new ArgumentException($"tensor '{name}': only F32, F16 and BF16 can be written, not {dtype}", nameof(dtype));
        }

        var count = shape.Aggregate(1L, (a, b) => b < 0 ? throw new ArgumentException($"tensor '{name}': negative dimension in {SafeTensorInfo.FormatShape(shape)}", nameof(shape)) : a * b);
        if (count != values.Length)
        {
            throw new ArgumentException($"tensor '{name}': shape {SafeTensorInfo.FormatShape(shape)} holds {count} values, got {values.Length}", nameof(values));
        }

        var size = SafeTensorDTypeFormat.Size(dtype);
        var begin = data.Position;
        var buffer = new byte[Math.Min(values.Length, ChunkElements) * size];
        for (var start = 0; start < values.Length; start += ChunkElements)
        {
            var chunk = values.AsSpan(start, Math.Min(ChunkElements, values.Length - start));
            var bytes = buffer.AsSpan(0, chunk.Length * size);
            SafeTensorCodec.Encode(chunk, dtype, bytes);
            data.Write(bytes);
        }

        return new SafeTensorInfo(name, dtype, (long[])shape.Clone(), begin, data.Position);
    }

    private static byte[] Header(List<SafeTensorInfo> entries, IReadOnlyDictionary<string, string>? metadata)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteStartObject("__metadata__");
            var fields = new Dictionary<string, string>(metadata ?? new Dictionary<string, string>(), StringComparer.Ordinal);
            fields.TryAdd("format", "pt");
            foreach (var (key, value) in fields.OrderBy(f => f.Key, StringComparer.Ordinal))
            {
                json.WriteString(key, value);
            }

            json.WriteEndObject();
            foreach (var entry in entries)
            {
                json.WriteStartObject(entry.Name);
                json.WriteString("dtype", SafeTensorDTypeFormat.Name(entry.DType));
                json.WriteStartArray("shape");
                foreach (var dim in entry.Shape)
                {
                    json.WriteNumberValue(dim);
                }

                json.WriteEndArray();
                json.WriteStartArray("data_offsets");
                json.WriteNumberValue(entry.Begin);
                json.WriteNumberValue(entry.End);
                json.WriteEndArray();
                json.WriteEndObject();
            }

            json.WriteEndObject();
        }

        // safetensors pads the header with spaces so the data section starts 8-byte aligned.
        var padding = (8 - (int)(buffer.Length % 8)) % 8;
        buffer.Write(Encoding.ASCII.GetBytes(new string(' ', padding)));
        return buffer.ToArray();
    }
}
