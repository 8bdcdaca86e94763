namespace Mining.Kernels.Checkpoints;

/// <summary>Element types of the safetensors format; only <see cref="F32"/>, <see cref="F16"/> and <see cref="BF16"/> can be read as weights.</summary>
public enum SafeTensorDType
{
    /// <summary>IEEE single precision.</summary>
    F32,

    /// <summary>IEEE half precision.</summary>
    F16,

    /// <summary>bfloat16: the upper 16 bits of a float32.</summary>
    BF16,

    /// <summary>IEEE double precision (listed, not readable as weights).</summary>
    F64,

    /// <summary>8-bit float, 4 exponent bits (listed, not readable as weights).</summary>
    F8E4M3,

    /// <summary>8-bit float, 5 exponent bits (listed, not readable as weights).</summary>
    F8E5M2,

    /// <summary>Signed 64-bit integer (old checkpoints store <c>position_ids</c> buffers so).</summary>
    I64,

    /// <summary>Signed 32-bit integer.</summary>
    I32,

    /// <summary>Signed 16-bit integer.</summary>
    I16,

    /// <summary>Signed 8-bit integer.</summary>
    I8,

    /// <summary>Unsigned 64-bit integer.</summary>
    U64,

    /// <summary>Unsigned 32-bit integer.</summary>
    U32,

    /// <summary>Unsigned 16-bit integer.</summary>
    U16,

    /// <summary>Unsigned 8-bit integer.</summary>
    U8,

    /// <summary>Boolean, one byte each.</summary>
    Bool,
}
