namespace Mining.Kernels.IO;

/// <summary>Element types Mining reads and writes in NumPy <c>.npy</c> files.</summary>
public enum NpyDType
{
    UInt8,
    Float16,
    Float32,
    Float64,
    Int32,
    Int64,
}
