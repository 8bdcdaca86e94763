namespace Mining.Kernels.Runtime;

/// <summary>The floating-point type the model computes in.</summary>
public enum ComputeDType
{
    /// <summary>32-bit float: the default, and the only choice on CPU.</summary>
    Float32,

    /// <summary>IEEE half precision (CUDA only).</summary>
    Float16,

    /// <summary>bfloat16 (CUDA only).</summary>
    BFloat16,
}
