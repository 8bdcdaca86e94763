using System.CommandLine;
using Mining.Grains.Artifacts;
using Mining.Grains.Contracts;
using Mining.Kernels.Checkpoints;
using Mining.Kernels.Experiments;
using Mining.Kernels.Imaging;
using Mining.Kernels.Model;

namespace Mining.Client.Commands;

/// <summary><c>mining demo</c>: the main job on the embedded default — the demo checkpoint and the sample images, mined as a job on silos in this process.</summary>
internal static class DemoCommand
{
    /// <summary>The LLaVA-1.5 demo checkpoint's model id, written into its config.json so that `mine` on it records the same.</summary>
    public const string DemoModelId = "mining-demo-tiny-llava";

    /// <summary>The LLaVA-1.5 demo checkpoint: small enough for a CPU, in exactly the layout of a real one.</summary>
    public static TinyCheckpointSpec DemoSpec { get; } = new()
    {
        ModelId = DemoModelId,
        Seed = 2025,
        Grid = 8,
        PatchSize = 14,
        VisionHidden = 64,
        VisionLayers = 3,
        VisionHeads = 4,
        VisionIntermediate = 256,
        TextHidden = 128,
        TextLayers = 3,
        TextHeads = 8,
        TextKvHeads = 2,
        TextIntermediate = 344,
    };

    /// <summary>
    /// The paper's parameters scaled to 11 images of 64 tokens on a random model: every token is a candidate,
    /// the thresholds sit near the medians of this model's top-1 probability and weighted JSD (a random model's
    /// distributions are far from LLaVA's), and a pooled cluster must span more than 2 of the 11 images instead of 64 of 500.
    /// </summary>
    public static MiningParameters DemoParameters { get; } = new()
    {
        Top1Thres = 0.235,
        JsdThres = 0.04,
        KRegion = 1,
        KGlobal = 16,
        ImageClusters = 8,
        SmallClusterMax = 8,
        PrototypeClusters = 8,
        MinUniqueImages = 2,
        DpcKnnK = 5,
    };

    /// <summary>The demo checkpoint of <paramref name="family"/>: <see cref="DemoSpec"/>'s sizes and seed, the family's config and tokenizer, id mining-demo-tiny-FAMILY.</summary>
    public static TinyCheckpointSpec DemoSpecOf(ModelFamily family) => DemoSpec with { Family = family, ModelId = $"mining-demo-tiny-{family.Name}" };

    /// <summary>
    /// <see cref="DemoParameters"/> with thresholds near the medians of <paramref name="family"/>'s random demo model, and the
    /// family preset's skip list (LLaVA-1.5: "▁A"; the byte-level families measure the first position) and pad
    /// (OneVision: the tiny tokenizer's <c>&lt;|endoftext|&gt;</c>).
    /// </summary>
    public static MiningParameters DemoParametersOf(ModelFamily family) => family.Name switch
    {
        "next" => DemoParameters with { Top1Thres = 0.42, JsdThres = 0.15, SkipLeadingTokens = MiningPreset.DefaultFor(family).SkipLeadingTokens },
        "onevision" => DemoParameters with
        {
            Top1Thres = 0.3,
            JsdThres = 0.1,
            PadTokenId = TinyTokenizer.Of(family).Vocabulary!.SpecialId("<|endoftext|>"),
            SkipLeadingTokens = MiningPreset.DefaultFor(family).SkipLeadingTokens,
        },
        _ => DemoParameters with { SkipLeadingTokens = MiningPreset.DefaultFor(family).SkipLeadingTokens },
    };

    /// <summary>Where the demo of <paramref name="family"/> works unless --work-dir says otherwise: .out/demo for LLaVA-1.5, .out/demo-FAMILY for the others.</summary>
    public static string DefaultWorkDirectory(ModelFamily family) =>
        Path.Combine(MiningHome.Root, ".out", family == ModelFamily.Llava ? "demo" : $"demo-{family.Name}");

    public static Command Create()
    {
        var family = new Option<string>("--family")
        {
            Description = "The family of the demo checkpoint: llava (LLaVA-1.5), next (LLaVA-NeXT with LLaMA-3) or onevision (LLaVA-OneVision with Qwen2).",
            DefaultValueFactory = _ => ModelFamily.Llava.Name,
        };
        family.AcceptOnlyFromAmong([.. ModelFamily.All.Select(f => f.Name)]);
        var work = new Option<string?>("--work-dir")
        {
            Description = "Where the demo writes its checkpoint, codebook and per-image results (default: .out/demo, .out/demo-FAMILY for the other families).",
        };
        var images = new Option<string?>("--images")
        {
            Description = "Folder or manifest of images to mine (default: the bundled sample images).",
        };
        var cluster = new ClusterOptionSet();
        var runtime = new RuntimeOptionSet();
        var command = new Command("demo", "Mine the sample images with the demo checkpoint as a job on the embedded default (silos in this process) and write a codebook: a line per image with its redundant and kept tokens, where each shard ran, then the codebook's summary. --family picks the checkpoint's LLaVA family.")
        {
            family, work, images,
        };
        cluster.AddEmbeddedTo(command);
        runtime.AddTo(command);
        command.SetAction((result, cancellation) => CommandFailure.GuardAsync(async () =>
        {
            var chosen = ModelFamily.All.Single(f => f.Name == result.GetValue(family));
            var checkpoint = DemoSpecOf(chosen);
            var parameters = DemoParametersOf(chosen);
            TinyCheckpoint.Validate(checkpoint);
            var workDirectory = result.GetValue(work) ?? DefaultWorkDirectory(chosen);
            var modelDirectory = Path.Combine(workDirectory, "model");
            EnsureDemoCheckpoint(modelDirectory, chosen);
            Console.WriteLine($"model       {CheckpointSummary.Read(modelDirectory).Describe()}");
            Console.WriteLine($"parameters  {parameters.ToJson()} (scaled to the demo; the paper's defaults are in docs/ARCHITECTURE.md)");
            var jobId = JobIds.New(DateTimeOffset.UtcNow);
            var spec = new JobSpec(
                jobId,
                Path.GetFullPath((result.GetValue(images) ?? MiningHome.SampleImages)),
                Path.GetFullPath(modelDirectory),
                jobId,
                parameters.ToJson(),
                AllTokens: true,
                ImageAspect: ImageAspect.Crop,
                ImagesPerShard: JobSpec.DefaultImagesPerShard,
                ModelId: checkpoint.ModelId);
            await using var session = await cluster.OpenAsync(result, runtime, cancellation);
            var lines = new ImageLines(session.Artifacts!, jobId);
            JobOutcome outcome;
            try
            {
                outcome = await JobRun.RunAsync(
                    session,
                    spec,
                    Path.Combine(workDirectory, "codebook.parquet"),
                    Path.Combine(workDirectory, "images.parquet"),
                    _ => Console.WriteLine($"cluster     {session.Description}, job {jobId}"),
                    lines.ObserveAsync,
                    cancellation);
            }
            catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
            {
                Console.Error.WriteLine($"mining: interrupted; job {jobId} cancelled");
                return 130;
            }

            if (outcome.Summary is not { } summary)
            {
                Console.Error.WriteLine($"mining: error: {JobRun.Unfinished(outcome.Status)}");
                return 1;
            }

            foreach (var shard in outcome.Status.Shards.OrderBy(s => s.ShardIndex))
            {
                Console.WriteLine($"shard {shard.ShardIndex,3}   {shard.Images} images on silo {shard.Silo}");
            }

            Console.WriteLine(summary.ToText());
            if (summary.PrototypesAfterDedup == 0)
            {
                Console.Error.WriteLine("mining: error: the demo ended with an empty codebook");
                return 1;
            }

            Console.WriteLine($"The demo model's weights are random: its tokens show the path, not meaning. Inspect the codebook with './mining codebook info {summary.Codebook}'.");
            return 0;
        }));
        return command;
    }

    /// <summary>
    /// Prints one line per image, in dataset order, once its result is in the artifact store (shards finish out of
    /// order; a line waits for the images before it): its redundant and kept tokens and the medians of the three
    /// measurements that decide redundancy.
    /// </summary>
    private sealed class ImageLines(IArtifactStore store, string jobId)
    {
        private int next;

        public async Task ObserveAsync(JobStatus status)
        {
            var stored = (await store.ListAsync(ArtifactKeys.ImageResultsPrefix(jobId))).ToDictionary(ArtifactKeys.IndexOf);
            while (stored.TryGetValue(next, out var key))
            {
                next++;
                var image = ArtifactCodec.DecodeImageResult(await store.GetAsync(key), key);
                var head = $"{next,3}/{status.Images} {image.ImageId,-18}";
                if (image.Status == ImageStatus.Failed)
                {
                    Console.WriteLine($"{head}  failed: {image.FailureReason}");
                    continue;
                }

                var measurements = image.Candidates.Select(c => c.Measurement).ToArray();
                var redundant = measurements.Count(m => m.Redundant);
                Console.WriteLine(
                    $"{head}  redundant {redundant,2}/{measurements.Length}, kept {image.KeptCount,2}   median top-1 p {Median(measurements.Select(m => m.Top1Prob)):P0}, " +
                    $"JSD region {Median(measurements.Select(m => m.JsdRegion)):G3}, global {Median(measurements.Select(m => m.JsdGlobal)):G3}");
            }
        }

        private static double Median(IEnumerable<double> values)
        {
            var sorted = values.Order().ToArray();
            return sorted.Length == 0 ? double.NaN : sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
        }
    }

    /// <summary>Writes the demo checkpoint of <paramref name="family"/> (LLaVA-1.5 unless given) into <paramref name="directory"/> unless it is already there.</summary>
    internal static void EnsureDemoCheckpoint(string directory, ModelFamily? family = null)
    {
        var spec = DemoSpecOf(family ?? ModelFamily.Llava);

        // A demo checkpoint written before it recorded its id is written again, so that `mine` on it records the demo's id.
        if (File.Exists(Path.Combine(directory, "config.json")) && CheckpointModelId.Resolve(directory, null).Id == spec.ModelId)
        {
            return;
        }

        if (Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }

        TinyCheckpoint.Create(spec, directory);
        Console.WriteLine($"wrote the demo checkpoint to {directory}");
    }

}
