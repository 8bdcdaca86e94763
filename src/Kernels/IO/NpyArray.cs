namespace Mining.Kernels.IO;

/// <summary>An n-dimensional array as stored in a <c>.npy</c> file: shape, element type and raw little-endian C-order bytes.</summary>
public sealed record NpyArray(int[] Shape, NpyDType DType, byte[] Data)
{
    /// <summary>Number of elements (product of the shape).</summary>
    public long Length => Shape.Aggregate(1L, (a, b) => a * b);

    /// <summary>Bytes per element of <paramref name="dtype"/>.</summary>
    public static int ElementSize(NpyDType dtype) => dtype switch
    {
        NpyDType.UInt8 => 1,
        NpyDType.Float16 => 2,
        NpyDType.Float32 or NpyDType.Int32 => 4,
        NpyDType.Float64 or NpyDType.Int64 => 8,
        _ => throw new ArgumentOutOfRangeException(nameof(dtype)),
    };

    /// <summary>The elements widened to float32 (float16 is converted exactly, float64 rounded).</summary>
    public float[] ToFloat32()
    {
        var n = checked((int)Length);
        var result = new float[n];
        var span = Data.AsSpan();
        for (var i = 0; i < n; i++)
        {
            result[i] = DType switch
            {
                NpyDType.UInt8 => span[i],
                NpyDType.Float16 => (float)BitConverter.ToHalf(span.Slice(i * 2, 2)),
                NpyDType.Float32 => BitConverter.ToSingle(span.Slice(i * 4, 4)),
                NpyDType.Float64 => (float)BitConverter.ToDouble(span.Slice(i * 8, 8)),
                NpyDType.Int32 => BitConverter.ToInt32(span.Slice(i * 4, 4)),
                NpyDType.Int64 => BitConverter.ToInt64(span.Slice(i * 8, 8)),
                _ => throw new InvalidOperationException($"unsupported dtype {DType}"),
            };
        }

        return result;
    }

    /// <summary>A float32 array with the given shape.</summary>
    public static NpyArray FromFloat32(float[] values, params int[] shape)
    {
        var expected = shape.Aggregate(1L, (a, b) => a * b);
        if (expected != values.Length)
        {
            throw new ArgumentException($"shape [{string.Join(", ", shape)}] holds {expected} values, got {values.Length}", nameof(shape));
        }

        var bytes = new byte[values.Length * 4];
        Buffer.BlockCopy(values, 0, bytes, 0, bytes.Length);
        return new NpyArray(shape, NpyDType.Float32, bytes);
    }
}
