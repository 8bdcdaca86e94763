namespace Mining.Kernels.Runtime;

/// <summary>Where and how the model runs: device (<c>cpu</c>, <c>cuda</c>, <c>cuda:N</c>), compute dtype and CPU threads (0 = TorchSharp's default).</summary>
public sealed record RuntimeOptions(string Device = "cpu", ComputeDType DType = ComputeDType.Float32, int Threads = 0)
{
    /// <summary>Options for the default CPU fp32 runtime.</summary>
    public static RuntimeOptions Cpu { get; } = new();
}
