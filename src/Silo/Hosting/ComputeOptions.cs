using Mining.Kernels.Runtime;

namespace Mining.Silo.Hosting;

/// <summary>How a worker silo runs the model, bound from <c>Mining:Compute</c>.</summary>
public sealed record ComputeOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Mining:Compute";

    /// <summary><c>cpu</c>, <c>cuda</c> or <c>cuda:N</c>.</summary>
    public string Device { get; init; } = "cpu";

    /// <summary><c>fp32</c>, <c>fp16</c> or <c>bf16</c> (half precision on CUDA only).</summary>
    public string DType { get; init; } = "fp32";

    /// <summary>CPU threads for the model; 0 = TorchSharp's default.</summary>
    public int Threads { get; init; }

    /// <summary>Upper bound on batch size × padded sequence length per forward call; 0 chooses it from the device's free memory.</summary>
    public int MaxBatchTokens { get; init; }

    /// <summary>The dtype names this record accepts, with the kernels' value for each.</summary>
    public static IReadOnlyDictionary<string, ComputeDType> DTypes { get; } = new Dictionary<string, ComputeDType>(StringComparer.OrdinalIgnoreCase)
    {
        ["fp32"] = ComputeDType.Float32,
        ["fp16"] = ComputeDType.Float16,
        ["bf16"] = ComputeDType.BFloat16,
    };

    /// <summary>The kernels' runtime options; <see cref="DType"/> must be one of <see cref="DTypes"/>.</summary>
    public RuntimeOptions ToRuntimeOptions() => new(Device, DTypes[DType], Threads);
}
