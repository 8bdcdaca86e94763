using System.CommandLine;
using Mining.Kernels.Runtime;

namespace Mining.Client.Commands;

/// <summary>The options every verb that runs the model takes: device, dtype, threads and batch size.</summary>
internal sealed class RuntimeOptionSet
{
    public Option<string> Device { get; } = new("--device")
    {
        Description = "Where the model runs: cpu, cuda or cuda:N. CUDA needs a build with -p:TorchBackend=cuda.",
        DefaultValueFactory = _ => "cpu",
    };

    public Option<string> DType { get; } = new("--dtype")
    {
        Description = "Compute dtype: fp32 (default; the only choice on CPU), fp16 or bf16 (CUDA).",
        DefaultValueFactory = _ => "fp32",
    };

    public Option<int> Threads { get; } = new("--threads")
    {
        Description = "CPU threads for the model (0 = TorchSharp's default).",
        DefaultValueFactory = _ => 0,
    };

    public Option<int> MaxBatchTokens { get; } = new("--max-batch-tokens")
    {
        Description = "Upper bound on batch size × padded sequence length per forward call; 0 (default) chooses it from the device's free memory.",
        DefaultValueFactory = _ => 0,
    };

    public RuntimeOptionSet()
    {
        DType.AcceptOnlyFromAmong("fp32", "fp16", "bf16");
    }

    public void AddTo(Command command)
    {
        command.Options.Add(Device);
        command.Options.Add(DType);
        command.Options.Add(Threads);
        command.Options.Add(MaxBatchTokens);
    }

    /// <summary>The name of the first of these options given on the command line, or null when all take their defaults.</summary>
    public string? Given(ParseResult result) =>
        new Option[] { Device, DType, Threads, MaxBatchTokens }.FirstOrDefault(o => result.GetResult(o) is { Implicit: false })?.Name;

    public RuntimeOptions Read(ParseResult result) => new(
        result.GetValue(Device) ?? "cpu",
        result.GetValue(DType) switch
        {
            "fp16" => ComputeDType.Float16,
            "bf16" => ComputeDType.BFloat16,
            _ => ComputeDType.Float32,
        },
        result.GetValue(Threads));
}
