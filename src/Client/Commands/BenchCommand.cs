using System.CommandLine;
using Mining.Benchmarks;
using Mining.Kernels.Checkpoints;
using Mining.Kernels.Datasets;
using Mining.Kernels.Experiments;
using Mining.Kernels.Imaging;
using Mining.Kernels.IO;
using Mining.Kernels.Model;

namespace Mining.Client.Commands;

/// <summary><c>mining bench forward</c> and <c>mining bench mine</c>: measured GEMM peak, forward throughput, and the mining engine against the reference schedule, written to JSON files.</summary>
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
        Mine(),
        BenchClusterCommand.Create(),
        BenchSilosCommand.Create(),
        BenchProbeCommand.Create(),
    };

    private static Command Forward()
    {
        var outFile = new Option<string>("--out")
        {
            Description = "JSON file for the figures.",
            DefaultValueFactory = _ => Path.Combine(MiningHome.Root, ".out", "bench", "forward.json"),
        };
        var force = ForceOption.Create();
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
        var shape = new Option<string?>("--shape")
        {
            Description = "Instead: a random model of that released model's real layer widths with --layers layers per tower, written once as a sharded bf16 checkpoint under --work-dir; report the load's peak resident memory against the previous loading path's in the same process, the parameter bytes, and one image's forward (tokens/s). --dtype bf16 and fp16 are allowed on the CPU here. Default --out: .out/bench/forward-SHAPE-DTYPE.json.",
        };
        shape.AcceptOnlyFromAmong([.. ModelShape.All.Select(s => s.Name)]);
        var layers = new Option<int>("--layers")
        {
            Description = "Layers per tower of the --shape model.",
            DefaultValueFactory = _ => 2,
        };
        var runtime = new RuntimeOptionSet();
        var command = new Command("forward", "Measure fp32 GEMM GFLOP/s and the experiment forward's tokens/s, batched and one at a time, on the demo model and on a random model of about 250 M parameters; report the FLOP-based fraction of GEMM peak. With --shape, load and run a model of a released model's real widths instead.")
        {
            outFile, force, work, candidates, skipLarge, shape, layers,
        };
        runtime.AddTo(command);
        command.SetAction(result => CommandFailure.Guard(() =>
        {
            var checkedOut = BenchOutput.Check(result, outFile, force);
            var options = runtime.Read(result);
            if (result.GetValue(shape) is { } shapeName)
            {
                var given = result.GetResult(outFile) is { Implicit: false } ? checkedOut : null;
                return RealShape(ModelShape.Find(shapeName), result.GetValue(layers), options, result.GetValue(work)!, given);
            }

            if (result.GetResult(layers) is { Implicit: false })
            {
                throw new ArgumentException("--layers sizes the --shape model; give --shape too");
            }

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
                var directory = EnsureCheckpoint(name, spec, result.GetValue(work)!);

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

            var path = checkedOut;
            report.Write(path);
            Console.WriteLine($"wrote {path}");
            return 0;
        }));
        return command;
    }

    /// <summary><c>bench forward --shape</c>: see <see cref="RealShapeBenchmark"/>.</summary>
    private static int RealShape(ModelShape shape, int layers, Kernels.Runtime.RuntimeOptions options, string workDirectory, string? outPath)
    {
        if (!shape.IsSupported)
        {
            throw new ArgumentException($"--shape {shape.Name}: the {shape.ModelType} family's vision tower and language model are not in this build yet");
        }

        if (layers < 1)
        {
            throw new ArgumentException($"--layers must be at least 1, got {layers}");
        }

        // The device as every verb resolves it; the dtype as asked, on the CPU too: loading and running a bf16 model
        // here is what this measures (mining itself computes in float32 on the CPU).
        var (device, _) = Kernels.Runtime.TorchRuntime.Resolve(options with { DType = Kernels.Runtime.ComputeDType.Float32 });
        var dtype = options.DType switch
        {
            Kernels.Runtime.ComputeDType.BFloat16 => TorchSharp.torch.ScalarType.BFloat16,
            Kernels.Runtime.ComputeDType.Float16 => TorchSharp.torch.ScalarType.Float16,
            _ => TorchSharp.torch.ScalarType.Float32,
        };
        var dtypeName = options.DType switch
        {
            Kernels.Runtime.ComputeDType.BFloat16 => "bf16",
            Kernels.Runtime.ComputeDType.Float16 => "fp16",
            _ => "fp32",
        };
        var m = RealShapeBenchmark.Measure(shape, layers, workDirectory, device, dtype, Console.WriteLine);
        const double GiB = 1L << 30;
        Console.WriteLine($"{m.Shape}, {m.Layers} layers per tower: {m.Parameters:N0} parameters, {m.ParameterBytes / GiB:F2} GiB in {dtypeName} (the full model: {m.FullParameters:N0} parameters, {m.FullParameters * 2 / GiB:F2} GiB in bf16)");
        Console.WriteLine($"load: {m.Load.Seconds:F1} s, resident {m.Load.ResidentBefore / GiB:F2} → peak {m.Load.PeakResident / GiB:F2} GiB (+{m.Load.PeakGrowth / GiB:F2} GiB){(m.Load.PeakIsPerLoad ? "" : "; the peak could not be reset, it is the process's")}");
        Console.WriteLine(m.ReferenceLoad is { } reference
            ? $"previous loading path: {reference.Seconds:F1} s, resident {reference.ResidentBefore / GiB:F2} → peak {reference.PeakResident / GiB:F2} GiB (+{reference.PeakGrowth / GiB:F2} GiB): {m.ReferenceOverLoadGrowth:F2}× the growth"
            : $"previous loading path: {m.ReferenceLoadError}");
        Console.WriteLine($"forward: image {m.VisualTokens} tokens in {m.VisionSeconds:F2} s ({m.VisionGflop / m.VisionSeconds:F1} GFLOP/s); language model {m.SequenceTokens} positions in {m.LanguageSeconds:F2} s = {m.TokensPerSecond:F0} tokens/s ({m.LanguageGflop / m.LanguageSeconds:F1} GFLOP/s)");

        var report = new BenchmarkReport($"forward --shape {m.Shape} --layers {m.Layers} --dtype {dtypeName}")
            .Add("layers", m.Layers)
            .Add("element_bytes", m.ParameterBytes / (double)m.Parameters)
            .Add("parameters", m.Parameters)
            .Add("parameter_bytes", m.ParameterBytes)
            .Add("full_parameters", m.FullParameters)
            .Add("full_parameter_bytes_bf16", m.FullParameters * 2.0)
            .Add("checkpoint_bytes", m.CheckpointBytes)
            .Add("load_seconds", m.Load.Seconds)
            .Add("load_resident_before_bytes", m.Load.ResidentBefore)
            .Add("load_peak_resident_bytes", m.Load.PeakResident)
            .Add("load_peak_growth_bytes", m.Load.PeakGrowth)
            .Add("load_resident_after_bytes", m.Load.ResidentAfter)
            .Add("load_peak_is_per_load", m.Load.PeakIsPerLoad ? 1 : 0);
        if (m.ReferenceLoad is { } previous)
        {
            report.Add("reference_load_seconds", previous.Seconds)
                .Add("reference_load_resident_before_bytes", previous.ResidentBefore)
                .Add("reference_load_peak_resident_bytes", previous.PeakResident)
                .Add("reference_load_peak_growth_bytes", previous.PeakGrowth)
                .Add("reference_load_resident_after_bytes", previous.ResidentAfter)
                .Add("reference_over_load_peak_growth", m.ReferenceOverLoadGrowth!.Value);
        }

        report.Add("visual_tokens", m.VisualTokens)
            .Add("sequence_tokens", m.SequenceTokens)
            .Add("vision_seconds", m.VisionSeconds)
            .Add("vision_gflops_per_second", m.VisionGflop / m.VisionSeconds)
            .Add("language_seconds", m.LanguageSeconds)
            .Add("language_tokens_per_second", m.TokensPerSecond)
            .Add("language_gflops_per_second", m.LanguageGflop / m.LanguageSeconds);
        var path = outPath ?? Path.Combine(MiningHome.Root, ".out", "bench", $"forward-{m.Shape}-{dtypeName}.json");
        report.Write(path);
        Console.WriteLine($"wrote {path}");
        return 0;
    }

    private static Command Mine()
    {
        var model = new Option<string>("--model")
        {
            Description = "demo (the demo checkpoint), large (a random model of about 250 M parameters with LLaVA-1.5's 24×24 grid) or a checkpoint folder.",
            DefaultValueFactory = _ => "demo",
        };
        var images = new Option<string>("--images")
        {
            Description = "Folder or manifest of images; the first --image-count are used.",
            DefaultValueFactory = _ => MiningHome.SampleImages,
        };
        var imageCount = new Option<int>("--image-count") { Description = "Images to score (default: 4 for demo, 2 otherwise)." };
        var candidates = new Option<string>("--candidates") { Description = "reference (the paper's 96 ranks, scaled to the grid) or all (default: all for demo, as the demo mines; reference otherwise)." };
        candidates.AcceptOnlyFromAmong("reference", "all");
        var maxCandidates = new Option<int>("--max-candidates") { Description = "At most this many candidates per image, spread over the list (default: all for demo, 8 otherwise, so the reference schedule finishes in minutes on a CPU)." };
        var rounds = new Option<int>("--rounds") { Description = "Timed rounds of the engine; the fastest counts.", DefaultValueFactory = _ => 3 };
        var baselineRounds = new Option<int>("--baseline-rounds") { Description = "Timed rounds of the reference schedule (default: 3 for demo, 1 otherwise)." };
        var outFile = new Option<string?>("--out") { Description = "JSON file for the figures (default: .out/bench/mine-<model>.json, replaced on every run)." };
        var json = new Option<bool>("--json") { Description = "Print the figures as JSON on stdout instead of the table (the file is written either way)." };
        var force = ForceOption.Create();
        var work = new Option<string>("--work-dir")
        {
            Description = "Where the benchmark checkpoints are written (reused between runs).",
            DefaultValueFactory = _ => Path.Combine(MiningHome.Root, ".out", "bench"),
        };
        var skip = new MiningParameterOptions().SkipLeadingTokens;
        var runtime = new RuntimeOptionSet();
        var command = new Command("mine", "Score the experiments of the same images through the reference schedule (batch 1, full recompute, greedy 8 tokens with logits at every position, as the paper's scripts) and through the engine; check the scores agree; report the time of each, the speedup, images/hour, the FLOPs of both and the engine's fraction of the measured GEMM peak. Exits 1 when the scores differ by more than 1e-4.")
        {
            model, images, imageCount, candidates, maxCandidates, rounds, baselineRounds, outFile, json, force, work, skip,
        };
        runtime.AddTo(command);
        command.SetAction(result => CommandFailure.Guard(() =>
        {
            if (result.GetValue(outFile) is { } given)
            {
                OutputFile.RequireWritable(given, "--out", result.GetValue(force));
            }

            var asJson = result.GetValue(json);
            var log = asJson ? (Action<string>)Console.Error.WriteLine : Console.WriteLine;
            var name = result.GetValue(model)!;
            var isDemo = name == "demo";
            var directory = name switch
            {
                "demo" => EnsureCheckpoint("tiny", DemoCommand.DemoSpec, result.GetValue(work)!),
                "large" => EnsureCheckpoint("large", LargeSpec, result.GetValue(work)!),
                _ => name,
            };
            var options = new MineBenchmarkOptions
            {
                Parameters = new MiningParameters
                {
                    SkipLeadingTokens = result.GetResult(skip) is null
                        ? (ModelFamily.TryOf(directory) is { } family ? MiningPreset.DefaultFor(family) : MiningPreset.Default).SkipLeadingTokens
                        : MiningParameterOptions.ParseTokens(result.GetValue(skip)),
                },
                Candidates = (result.GetValue(candidates) ?? (isDemo ? "all" : "reference")) == "all" ? CandidateMode.All : CandidateMode.Reference,
                MaxCandidates = result.GetResult(maxCandidates) is null ? (isDemo ? 0 : 8) : result.GetValue(maxCandidates),
                Rounds = result.GetValue(rounds),
                BaselineRounds = result.GetResult(baselineRounds) is null ? (isDemo ? 3 : 1) : result.GetValue(baselineRounds),
            };
            var count = result.GetResult(imageCount) is null ? (isDemo ? 4 : 2) : result.GetValue(imageCount);
            if (count < 1)
            {
                throw new ArgumentOutOfRangeException("--image-count", count, "--image-count must be at least 1");
            }

            var summary = CheckpointSummary.Read(directory);
            using var llava = LlavaRuntime.Load(directory, runtime.Read(result), maxBatchTokens: result.GetValue(runtime.MaxBatchTokens));
            var preprocessor = new ImagePreprocessor(llava.Preprocessor);
            var chosen = ImageDataset.Open(result.GetValue(images)!).Images.Take(count).ToArray();
            var pixels = chosen.Select(image => preprocessor.Preprocess(ImageDecoder.Decode(image.Path)).PixelValues).ToArray();
            log($"model {name}: {summary.Describe()}");
            log($"images: {string.Join(", ", chosen.Select(image => image.ImageId))}; token budget {llava.MaxBatchTokens} per call");
            var m = MineBenchmark.Measure(llava, name, summary.Parameters, pixels, options, log);
            if (asJson)
            {
                Console.WriteLine(m.ToJson());
            }
            else
            {
                Print(m);
            }

            var path = result.GetValue(outFile) ?? Path.Combine(MiningHome.Root, ".out", "bench", $"mine-{(isDemo || name == "large" ? name : Path.GetFileName(Path.GetFullPath(name)))}.json");
            m.Write(path);
            log($"wrote {path}");
            if (!m.ScoresAgree)
            {
                Console.Error.WriteLine($"mining: error: the engine's scores differ from the reference schedule's by {m.MaxScoreDifference:E2} (logits {m.MaxLogitDifference:E2}, {m.RedundancyFlagsDiffering} redundancy flags)");
                return 1;
            }

            return 0;
        }));
        return command;
    }

    private static void Print(MineMeasurement m)
    {
        Console.WriteLine($"{m.Images} images, {m.Candidates} candidates, {m.Variants} variants");
        Console.WriteLine($"| schedule | seconds | images/hour | GFLOP | GFLOP/s | of GEMM peak | forward calls | positions |");
        Console.WriteLine($"|---|---|---|---|---|---|---|---|");
        Console.WriteLine($"| reference | {m.BaselineSeconds:F3} | {m.BaselineImagesPerHour:F0} | {m.BaselineGflop:F1} | {m.BaselineGflops:F1} | {m.BaselineFractionOfPeak:P1} | {m.BaselineForwardCalls} | {m.BaselineTokens} |");
        Console.WriteLine($"| engine | {m.EngineSeconds:F3} | {m.EngineImagesPerHour:F0} | {m.EngineGflop:F1} | {m.EngineGflops:F1} | {m.EngineFractionOfPeak:P1} | {m.EngineForwardCalls} | {m.EngineTokens} ({m.EnginePaddedTokens} padded) |");
        Console.WriteLine($"GEMM peak {m.GemmPeakGflops:F1} GFLOP/s; speedup {m.Speedup:F2}× = FLOP ratio {m.FlopRatio:F2}× × throughput ratio {m.ThroughputRatio:F2}×");
        Console.WriteLine($"reference GFLOP = prompts through the layers {m.BaselinePrefillGflop:F1} + LM head at every position {m.BaselineHeadGflop:F1} + generated tokens after the first {m.BaselineDecodeGflop:F1} + image encodes {m.BaselineVisionGflop:F1}; one uncached pass per variant would be {m.PlainGflop:F1}; the engine's encodes {m.EngineVisionGflop:F1}");
        Console.WriteLine(m.EngineLeadSkips == 0 && m.BaselineLeadSkips == 0
            ? $"skip leading tokens {m.SkipLeadingTokens}: no variant skipped"
            : $"skip leading tokens {m.SkipLeadingTokens}: {m.EngineLeadSkips} variants took the engine's extra step ({m.BaselineLeadSkips} in the reference schedule): {m.EngineLeadSkipCalls} batched steps, {m.EngineLeadSkipGflop:F3} GFLOP, {m.EngineLeadSkipSeconds:F3} s");
        Console.WriteLine($"max |score difference| {m.MaxScoreDifference:E2}, max |logit difference| {m.MaxLogitDifference:E2}, redundancy flags differing {m.RedundancyFlagsDiffering}: {(m.ScoresAgree ? "scores agree" : "SCORES DIFFER")}");
    }

    private static string EnsureCheckpoint(string name, TinyCheckpointSpec spec, string workDirectory)
    {
        var directory = Path.Combine(workDirectory, name + "-model");
        if (!File.Exists(Path.Combine(directory, "config.json")))
        {
            Console.WriteLine($"writing the {name} benchmark checkpoint to {directory} ...");
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }

            TinyCheckpoint.Create(spec, directory);
        }

        return directory;
    }
}
