using System.CommandLine;
using Mining.Benchmarks;
using Mining.Kernels.Runtime;
using TorchSharp;

namespace Mining.Client.Commands;

/// <summary><c>mining bench probe</c>: the probe's latency on an inference-sized input and its fraction of the measured GEMM peak, written to a JSON file.</summary>
internal static class BenchProbeCommand
{
    public static Command Create()
    {
        var tokens = new Option<int>("--tokens") { Description = "Visual tokens per call (2880: five 576-token images, LLaVA-NeXT's any-resolution count).", DefaultValueFactory = _ => 2880 };
        var prototypes = new Option<int>("--prototypes") { Description = "Prototypes in the synthetic codebook.", DefaultValueFactory = _ => 1000 };
        var dim = new Option<int>("--dim") { Description = "Width of tokens and prototypes.", DefaultValueFactory = _ => 4096 };
        var rounds = new Option<int>("--rounds") { Description = "Timed calls per precision; the fastest and the median are reported.", DefaultValueFactory = _ => 10 };
        var seed = new Option<int>("--seed") { Description = "Seed of the synthetic data.", DefaultValueFactory = _ => 1 };
        var outFile = new Option<string>("--out")
        {
            Description = "JSON file for the figures.",
            DefaultValueFactory = _ => Path.Combine(MiningHome.Root, ".out", "bench", "probe.json"),
        };
        var force = ForceOption.Create();
        var command = new Command("probe", "Measure the probe (Mining.Probe): latency of scoring and selecting --tokens float32 and float16 tokens against --prototypes prototypes of --dim, and its GFLOP/s as a fraction of the fp32 GEMM peak measured in the same run.")
        {
            tokens, prototypes, dim, rounds, seed, outFile, force,
        };
        command.SetAction(result => CommandFailure.Guard(() =>
        {
            var checkedOut = BenchOutput.Check(result, outFile, force);
            foreach (var (option, value) in new[] { (tokens, result.GetValue(tokens)), (prototypes, result.GetValue(prototypes)), (dim, result.GetValue(dim)), (rounds, result.GetValue(rounds)) })
            {
                if (value < 1)
                {
                    throw new ArgumentException($"{option.Name} must be at least 1, got {value}");
                }
            }

            TorchRuntime.EnsureLoaded();
            var gemm = GemmPeak.Measure(torch.CPU);
            Console.WriteLine($"GEMM fp32 {gemm.Size}×{gemm.Size}: {gemm.GflopsPerSecond:F1} GFLOP/s on {gemm.Threads} threads");
            var m = ProbeBenchmark.Measure(result.GetValue(tokens), result.GetValue(prototypes), result.GetValue(dim), result.GetValue(rounds), result.GetValue(seed));
            var fraction32 = m.Float32Gflops / gemm.GflopsPerSecond;
            var fraction16 = m.Float16Gflops / gemm.GflopsPerSecond;
            Console.WriteLine(
                $"probe {m.Tokens} tokens × {m.Prototypes} prototypes × {m.Dim}: float32 {m.Float32BestSeconds * 1e3:F1} ms best, {m.Float32MedianSeconds * 1e3:F1} ms median " +
                $"({m.Float32Gflops:F1} GFLOP/s, {fraction32:P1} of GEMM peak); float16 {m.Float16BestSeconds * 1e3:F1} ms best, {m.Float16MedianSeconds * 1e3:F1} ms median " +
                $"({m.Float16Gflops:F1} GFLOP/s, {fraction16:P1}); τ = 0.45 kept {m.Kept} tokens, the same for both");
            var report = new BenchmarkReport("probe")
                .Add("gemm_gflops", gemm.GflopsPerSecond)
                .Add("gemm_size", gemm.Size)
                .Add("tokens", m.Tokens)
                .Add("prototypes", m.Prototypes)
                .Add("dim", m.Dim)
                .Add("rounds", m.Rounds)
                .Add("threads", m.Threads)
                .Add("gflop", m.Flops / 1e9)
                .Add("float32_best_ms", m.Float32BestSeconds * 1e3)
                .Add("float32_median_ms", m.Float32MedianSeconds * 1e3)
                .Add("float32_gflops", m.Float32Gflops)
                .Add("float32_fraction_of_gemm_peak", fraction32)
                .Add("float16_best_ms", m.Float16BestSeconds * 1e3)
                .Add("float16_median_ms", m.Float16MedianSeconds * 1e3)
                .Add("float16_gflops", m.Float16Gflops)
                .Add("float16_fraction_of_gemm_peak", fraction16)
                .Add("kept_at_threshold_0_45", m.Kept);
            var path = checkedOut;
            report.Write(path);
            Console.WriteLine($"wrote {path}");
            return 0;
        }));
        return command;
    }
}
