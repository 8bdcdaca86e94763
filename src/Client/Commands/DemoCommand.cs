using System.CommandLine;
using Mining.Kernels.Checkpoints;
using Mining.Kernels.Datasets;
using Mining.Kernels.Experiments;
using Mining.Kernels.Imaging;
using Mining.Kernels.Model;
using Mining.Kernels.Pipeline;
using Mining.Kernels.Text;

namespace Mining.Client.Commands;

/// <summary><c>mining demo</c>: the main job on the embedded default — the demo checkpoint and the sample images.</summary>
internal static class DemoCommand
{
    /// <summary>The demo checkpoint: small enough for a CPU, in exactly the layout of a real one.</summary>
    public static TinyCheckpointSpec DemoSpec { get; } = new()
    {
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

    public static Command Create()
    {
        var work = new Option<string>("--work-dir")
        {
            Description = "Where the demo writes its checkpoint, codebook and per-image results.",
            DefaultValueFactory = _ => Path.Combine(MiningHome.Root, ".out", "demo"),
        };
        var images = new Option<string>("--images")
        {
            Description = "Folder or manifest of images to mine (default: the bundled sample images).",
            DefaultValueFactory = _ => MiningHome.SampleImages,
        };
        var runtime = new RuntimeOptionSet();
        var command = new Command("demo", "Mine the sample images with the demo checkpoint on the embedded default and write a codebook: per image, the five most likely first answer tokens, the time and the redundant tokens; then the codebook's summary.")
        {
            work, images,
        };
        runtime.AddTo(command);
        command.SetAction(result => CommandFailure.Guard(() =>
        {
            var workDirectory = result.GetValue(work)!;
            var modelDirectory = Path.Combine(workDirectory, "model");
            EnsureDemoCheckpoint(modelDirectory);
            Console.WriteLine($"model       {CheckpointSummary.Read(modelDirectory).Describe()}");
            Console.WriteLine($"parameters  {DemoParameters.ToJson()} (scaled to the demo; the paper's defaults are in docs/ARCHITECTURE.md)");
            var options = new MiningRunOptions(
                modelDirectory,
                ImageDataset.Open(result.GetValue(images)!),
                DemoParameters,
                CandidateMode.All,
                ImageAspect.Crop,
                runtime.Read(result),
                result.GetValue(runtime.MaxBatchTokens),
                Path.Combine(workDirectory, "codebook.parquet"),
                Path.Combine(workDirectory, "images.parquet"),
                "mining-demo-tiny-llava");
            var summary = MiningRun.Run(options, new Progress(modelDirectory));
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

    /// <summary>Prints one line per image: size, time, top-5 first tokens, redundant and kept tokens.</summary>
    private sealed class Progress(string modelDirectory) : IProgress<MiningProgress>
    {
        private readonly LlamaTextTokenizer tokenizer = LlamaTextTokenizer.Load(modelDirectory);

        public void Report(MiningProgress value)
        {
            var image = value.Last.Result;
            var head = $"{value.Done,3}/{value.Total} {image.ImageId,-18} {value.ImageTime.TotalSeconds,6:F2} s";
            if (image.Status == ImageStatus.Failed)
            {
                Console.WriteLine($"{head}  failed: {image.FailureReason}");
                return;
            }

            var top = string.Join(" ", TopTokens.Of(value.Last.BaselineLogits, 5).Select(t => $"{Quote(tokenizer.IdToPiece(t.Id))} {t.Probability:P0}"));
            var redundant = image.Candidates.Count(c => c.Measurement.Redundant);
            Console.WriteLine($"{head}  redundant {redundant,2}/{image.Candidates.Count}, kept {image.KeptCount,2}   top-5: {top}");
        }
    }

    private static void EnsureDemoCheckpoint(string directory)
    {
        if (File.Exists(Path.Combine(directory, "config.json")))
        {
            return;
        }

        if (Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }

        TinyCheckpoint.Create(DemoSpec, directory);
        Console.WriteLine($"wrote the demo checkpoint to {directory}");
    }

    private static string Quote(string piece) => "'" + piece.Replace("\n", "\\n", StringComparison.Ordinal) + "'";
}
