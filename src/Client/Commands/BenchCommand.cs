using System.CommandLine;
using Mining.Kernels.Benchmarks;
using Mining.Kernels.Checkpoints;
using Mining.Kernels.Imaging;
using Mining.Kernels.Model;

namespace Mining.Client.Commands;

/// <summary><c>mining bench forward</c>: measured GEMM peak and forward throughput, written to a JSON file.</summary>
internal static class BenchCommand
{
    /// <summary>A random model of a few hundred million parameters with LLaVA-1.5's 24×24 grid.</summary>
    public static TinyCheckpointSpec LargeSpec { get; } = new()
    {
        Seed = 7,
        Grid = 24,
        PatchSize = 14,
        VisionHidden = 256,
        VisionLayers = 4,
        VisionHeads = 4,
        VisionIntermediate = 1024,
        TextHidden = 1024,
        TextLayers = 16,
        TextHeads = 16,
        TextKvHeads = 4,
        TextIntermediate = 2816,
        VocabSize = 32064,
    };

    public static Command Create() => new("bench", "Benchmarks (they report ratios against a baseline measured in the same run and write their figures to a file).")
    {
        Forward(),
        BenchClusterCommand.Create(),
    };

    private static Command Forward()
    {
        var outFile = new Option<string>("--out")
        {
            Description = "JSON file for the figures.",
            DefaultValueFactory = _ => Path.Combine(MiningHome.Root, ".out", "bench", "forward.json"),
        };
        var work = new Option<string>("--work-dir")
        {
            Description = "Where the benchmark checkpoints are written (reused between runs).",
            DefaultValueFactory = _ => Path.Combine(MiningHome.Root, ".out", "bench"),
        };
        var candidates = new Option<int>("--candidates")
        {
            Description = "Candidate tokens whose four experiment variants are timed (plus the baseline).",
            DefaultValueFactory = _ => 8,
        };
        var skipLarge = new Option<bool>("--skip-large") { Description = "Measure only the tiny model." };
        var runtime = new RuntimeOptionSet();
        var command = new Command("forward", "Measure fp32 GEMM GFLOP/s and the experiment forward's tokens/s, batched and one at a time, on the demo model and on a random model of about 250 M parameters; report the FLOP-based fraction of GEMM peak.")
        {
            outFile, work, candidates, skipLarge,
        };
        runtime.AddTo(command);
        command.SetAction(result => CommandFailure.Guard(() =>
        {
            var options = runtime.Read(result);
            var (device, _) = Kernels.Runtime.TorchRuntime.Resolve(options);
            var gemm = GemmPeak.Measure(device);
            Console.WriteLine($"GEMM fp32 {gemm.Size}×{gemm.Size}: {gemm.GflopsPerSecond:F1} GFLOP/s on {gemm.Threads} threads");
            var report = new BenchmarkReport("forward")
                .Add("gemm_gflops", gemm.GflopsPerSecond)
                .Add("gemm_size", gemm.Size)
                .Add("candidates", result.GetValue(candidates));
            var models = new List<(string Name, TinyCheckpointSpec Spec)> { ("tiny", DemoCommand.DemoSpec) };
            if (!result.GetValue(skipLarge))
            {
                models.Add(("large", LargeSpec));
            }

            foreach (var (name, spec) in models)
            {
                var directory = Path.Combine(result.GetValue(work)!, name + "-model");
                if (!File.Exists(Path.Combine(directory, "config.json")))
                {
                    Console.WriteLine($"writing the {name} benchmark checkpoint to {directory} ...");
                    if (Directory.Exists(directory))
                    {
                        Directory.Delete(directory, recursive: true);
                    }

                    TinyCheckpoint.Create(spec, directory);
                }

                var summary = CheckpointSummary.Read(directory);
                using var llava = LlavaRuntime.Load(directory, options, maxBatchTokens: result.GetValue(runtime.MaxBatchTokens));
                var preprocessor = new ImagePreprocessor(llava.Preprocessor);
                using var image = llava.Encode(preprocessor.Preprocess(ImageDecoder.Decode(Path.Combine(MiningHome.SampleImages, "chelsea.png"))).PixelValues);
                var m = ForwardBenchmark.Measure(llava, image, result.GetValue(candidates), gemm.GflopsPerSecond);
                Console.WriteLine($"{name} ({summary.Parameters:N0} parameters, {image.TokenCount} visual tokens): {m.Variants} variants, {m.Tokens} tokens; batched {m.BatchedTokensPerSecond:F0} tokens/s ({m.BatchedForwardCalls} calls, {m.BatchedFractionOfGemmPeak:P1} of GEMM peak), one at a time {m.OneAtATimeTokensPerSecond:F0} tokens/s ({m.OneAtATimeFractionOfGemmPeak:P1}); batched/one-at-a-time = {m.BatchedSpeedup:F2}×");
                report.Add($"{name}_parameters", summary.Parameters)
                    .Add($"{name}_visual_tokens", image.TokenCount)
                    .Add($"{name}_variants", m.Variants)
                    .Add($"{name}_tokens", m.Tokens)
                    .Add($"{name}_gflop", m.Flops / 1e9)
                    .Add($"{name}_batched_seconds", m.BatchedSeconds)
                    .Add($"{name}_one_at_a_time_seconds", m.OneAtATimeSeconds)
                    .Add($"{name}_batched_forward_calls", m.BatchedForwardCalls)
                    .Add($"{name}_batched_tokens_per_second", m.BatchedTokensPerSecond)
                    .Add($"{name}_one_at_a_time_tokens_per_second", m.OneAtATimeTokensPerSecond)
                    .Add($"{name}_batched_speedup", m.BatchedSpeedup)
                    .Add($"{name}_batched_fraction_of_gemm_peak", m.BatchedFractionOfGemmPeak)
                    .Add($"{name}_one_at_a_time_fraction_of_gemm_peak", m.OneAtATimeFractionOfGemmPeak);
            }

            var path = result.GetValue(outFile)!;
            report.Write(path);
            Console.WriteLine($"wrote {path}");
            return 0;
        }));
        return command;
    }
}
