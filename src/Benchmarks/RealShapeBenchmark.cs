using System.Diagnostics;
using Mining.Kernels.Checkpoints;
using Mining.Kernels.Model;
using TorchSharp;
using static TorchSharp.torch;

namespace Mining.Benchmarks;

/// <summary>
/// A random model of a released model's real layer widths with few layers (<see cref="ModelShape"/>): written once as a
/// sharded bf16 checkpoint, loaded through <see cref="LlavaModelLoader"/> and then, as the baseline in the same process,
/// through <see cref="ReferenceLoad"/>, each load's resident peak measured; in between, one image and a prompt-shaped
/// sequence through the loaded model.
/// </summary>
public static class RealShapeBenchmark
{
    /// <summary>Timed rounds of the forward (after one untimed); the fastest counts.</summary>
    public const int Rounds = 3;

    /// <summary>
    /// After this many seconds of forward rounds no further round starts (one timed round always runs): bf16 on a CPU
    /// without bf16 instructions runs a 7B-wide layer at a few GFLOP/s, and more rounds would only repeat the figure.
    /// </summary>
    public const double ForwardSecondsBudget = 60;

    /// <summary>Text positions before and after the visual tokens: about the length of the mining prompt around the image.</summary>
    public const int PrefixTokens = 35;

    /// <inheritdoc cref="PrefixTokens"/>
    public const int SuffixTokens = 29;

    /// <summary>Safetensors files the checkpoint is split into, as released 7B checkpoints are.</summary>
    public const int Shards = 4;

    private const int Seed = 7;

    /// <summary>
    /// The checkpoint of <paramref name="shape"/> with <paramref name="layers"/> layers per tower under
    /// <paramref name="workDirectory"/>, written in bf16 if it is not there yet (its index is written last, so a folder
    /// with one is complete).
    /// </summary>
    public static string EnsureCheckpoint(ModelShape shape, int layers, string workDirectory, Action<string> log)
    {
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentNullException.ThrowIfNull(log);
        var config = shape.ToConfig(layers);
        var directory = Path.Combine(workDirectory, $"{shape.Name}-{layers}-layers-model");
        if (!File.Exists(Path.Combine(directory, CheckpointWeights.IndexFileName)))
        {
            log($"writing the {shape.Name} checkpoint with {layers} layers per tower ({shape.Parameters(layers):N0} parameters, bf16) to {directory} ...");
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }

            TinyCheckpointWeights.Write(config, Seed, directory, CheckpointLayout.Published, SafeTensorDType.BF16, Shards);
        }

        return directory;
    }

    /// <summary>Measures <paramref name="shape"/> with <paramref name="layers"/> layers per tower on <paramref name="device"/> in <paramref name="dtype"/>.</summary>
    public static RealShapeMeasurement Measure(ModelShape shape, int layers, string workDirectory, Device device, ScalarType dtype, Action<string> log)
    {
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentNullException.ThrowIfNull(log);
        var config = shape.ToConfig(layers);
        var directory = EnsureCheckpoint(shape, layers, workDirectory, log);
        var checkpointBytes = Directory.EnumerateFiles(directory, "*.safetensors").Sum(file => new FileInfo(file).Length);

        log($"loading {shape.Name} ({layers} layers per tower) on {device} in {dtype} ...");
        var (model, load) = MeasureLoad(() => LlavaModelLoader.Load(directory, config, device, dtype));
        long parameters, parameterBytes;
        double visionSeconds, languageSeconds;
        int sequenceTokens;
        using (model)
        {
            var all = model.parameters().ToList();
            parameters = all.Sum(p => p.numel());
            parameterBytes = all.Sum(p => p.numel() * p.ElementSize);
            log($"running one image and a {PrefixTokens}+{shape.VisualTokens}+{SuffixTokens}-position sequence through it, up to {Rounds} timed rounds ...");
            (visionSeconds, languageSeconds, sequenceTokens) = Forward(model, config, device, dtype);
        }

        LoadMeasurement? reference = null;
        string? referenceError = null;
        var referenceNeeds = ReferenceLoadBytes(directory, parameters, checkpointBytes);
        ResidentMemory.ReleaseFreed();
        var available = BatchBudget.FreeBytes(torch.CPU);
        if (referenceNeeds > available)
        {
            referenceError = $"not run: the previous loading path would need about {referenceNeeds / (double)(1L << 30):F1} GiB of host memory, {available / (double)(1L << 30):F1} GiB are available";
        }
        else
        {
            log("loading it again the way Mining did before (float32 model on the CPU, then to the device and dtype) ...");
            try
            {
                var (old, measured) = MeasureLoad(() => ReferenceLoad.Load(directory, config, device, dtype));
                old.Dispose();
                reference = measured;
            }
            catch (CheckpointException e)
            {
                referenceError = e.Message;
            }
        }

        var work = ForwardWork.OfCall(config.Text.NumHiddenLayers, [sequenceTokens], sequenceTokens, cachedLength: 0, headRows: 1, lastPositionsOnly: true);
        return new RealShapeMeasurement(
            shape.Name,
            layers,
            dtype.ToString(),
            parameters,
            parameterBytes,
            shape.Parameters(),
            checkpointBytes,
            load,
            reference,
            referenceError,
            config.Vision.NumPatches,
            sequenceTokens,
            visionSeconds,
            languageSeconds,
            VisionFlops.PerImage(config) / 1e9,
            work.Flops(config.Text) / 1e9);
    }

    /// <summary>
    /// What <see cref="ReferenceLoad"/> holds at its peak: the float32 model, the checkpoint's pages it mapped, and the
    /// float32 copy of the largest tensor — so a machine that cannot hold it skips the baseline instead of being killed.
    /// </summary>
    private static long ReferenceLoadBytes(string directory, long parameters, long checkpointBytes)
    {
        using var weights = CheckpointWeights.Open(directory);
        var largest = weights.Names.Max(name => weights.Info(name).ElementCount);
        return (4 * parameters) + checkpointBytes + (4 * largest);
    }

    /// <summary>Runs <paramref name="load"/> with the freed memory of earlier work handed back first and the resident peak reset, so the peak is this load's.</summary>
    private static (LlavaForConditionalGeneration Model, LoadMeasurement Load) MeasureLoad(Func<LlavaForConditionalGeneration> load)
    {
        ResidentMemory.ReleaseFreed();
        var perLoad = ResidentMemory.TryResetPeak();
        var before = ResidentMemory.Read().Current;
        var clock = Stopwatch.StartNew();
        var model = load();
        var seconds = clock.Elapsed.TotalSeconds;
        var after = ResidentMemory.Read();

        // VmHWM is folded from per-thread counters lazily and can trail a resident size read a moment earlier.
        return (model, new LoadMeasurement(seconds, before, Math.Max(after.Peak, Math.Max(after.Current, before)), after.Current, perLoad));
    }

    /// <summary>The fastest of up to <see cref="Rounds"/> rounds of a seeded image through the vision tower and projector, then the prompt-shaped sequence through the language model to the last position's logits.</summary>
    private static (double VisionSeconds, double LanguageSeconds, int SequenceTokens) Forward(LlavaForConditionalGeneration model, LlavaConfig config, Device device, ScalarType dtype)
    {
        using var noGrad = torch.no_grad();
        using var scope = torch.NewDisposeScope();
        var size = config.Vision.ImageSize;
        var random = new Random(Seed);
        var values = new float[3 * size * size];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = (float)((random.NextDouble() * 2) - 1);
        }

        var pixels = torch.tensor(values, [1, 3, size, size], device: device).to(dtype);
        var ids = Enumerable.Range(0, PrefixTokens + SuffixTokens).Select(i => (long)random.Next(config.Text.VocabSize)).ToArray();
        var text = model.LanguageModel.Embed(torch.tensor(ids, device: device));
        var prefix = text.narrow(0, 0, PrefixTokens);
        var suffix = text.narrow(0, PrefixTokens, SuffixTokens);
        var sequenceTokens = PrefixTokens + config.Vision.NumPatches + SuffixTokens;

        var visionSeconds = double.MaxValue;
        var languageSeconds = double.MaxValue;
        var total = Stopwatch.StartNew();
        for (var round = 0; round <= Rounds && (round < 2 || total.Elapsed.TotalSeconds < ForwardSecondsBudget); round++)
        {
            using var roundScope = torch.NewDisposeScope();
            var clock = Stopwatch.StartNew();
            var visual = model.Projector.forward(model.VisionTower.forward(pixels).Patches[0]);
            Synchronize(device);
            var vision = clock.Elapsed.TotalSeconds;

            clock.Restart();
            var sequence = torch.cat([prefix, visual, suffix], dim: 0).unsqueeze(0);
            var logits = model.LanguageModel.LastPositionLogits(sequence, [sequenceTokens]);
            if (!logits.isfinite().all().item<bool>())
            {
                throw new InvalidOperationException($"the {config.Text.HiddenSize}-wide model produced non-finite logits: the loaded weights are wrong");
            }

            var language = clock.Elapsed.TotalSeconds;
            if (round > 0)
            {
                // Round 0 warms up allocation and kernels; the machine's other load only ever adds time.
                visionSeconds = Math.Min(visionSeconds, vision);
                languageSeconds = Math.Min(languageSeconds, language);
            }
        }

        return (visionSeconds, languageSeconds, sequenceTokens);
    }

    private static void Synchronize(Device device)
    {
        if (device.type == DeviceType.CUDA)
        {
            torch.cuda.synchronize(device);
        }
    }
}
