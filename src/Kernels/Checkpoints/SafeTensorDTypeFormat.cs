namespace Mining.Kernels.Checkpoints;

/// <summary>The safetensors spelling and element size of each <see cref="SafeTensorDType"/>.</summary>
/// <remarks>Names as in huggingface/safetensors' <c>Dtype</c> enum (safetensors/src/tensor.rs).</remarks>
public static class SafeTensorDTypeFormat
{
    public static bool TryParse(string name, out SafeTensorDType dtype)
    {
        SafeTensorDType? parsed = name switch
        {
            "F32" => SafeTensorDType.F32,
            "F16" => SafeTensorDType.F16,
            "BF16" => SafeTensorDType.BF16,
            "F64" => SafeTensorDType.F64,
            "F8_E4M3" => SafeTensorDType.F8E4M3,
            "F8_E5M2" => SafeTensorDType.F8E5M2,
            "I64" => SafeTensorDType.I64,
            "I32" => SafeTensorDType.I32,
            "I16" => SafeTensorDType.I16,
            "I8" => SafeTensorDType.I8,
            "U64" => SafeTensorDType.U64,
            "U32" => SafeTensorDType.U32,
            "U16" => SafeTensorDType.U16,
            "U8" => SafeTensorDType.U8,
            "BOOL" => SafeTensorDType.Bool,
            _ => null,
        };
        dtype = parsed.GetValueOrDefault();
        return parsed.HasValue;
    }

    public static string Name(SafeTensorDType dtype) => dtype switch
    {
        SafeTensorDType.F8E4M3 => "F8_E4M3",
        SafeTensorDType.F8E5M2 => "F8_E5M2",
        SafeTensorDType.Bool => "BOOL",
        _ => dtype.ToString(),
    };

    public static int Size(SafeTensorDType dtype) => dtype switch
    {
        SafeTensorDType.F64 or SafeTensorDType.I64 or SafeTensorDType.U64 => 8,
        SafeTensorDType.F32 or SafeTensorDType.I32 or SafeTensorDType.U32 => 4,
        SafeTensorDType.F16 or SafeTensorDType.BF16 or SafeTensorDType.I16 or SafeTensorDType.U16 => 2,
        _ => 1,
    };

    /// <summary>Whether weights of this type convert to float32 (exactly).</summary>
    public static bool IsReadableAsFloat(SafeTensorDType dtype) =>
        dtype is SafeTensorDType.F32 or SafeTensorDType.F16 or SafeTensorDType.BF16;
}
