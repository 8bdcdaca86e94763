using System.CommandLine;
using System.Diagnostics;
using Mining.Kernels.Checkpoints;
using Mining.Kernels.Imaging;
using Mining.Kernels.Model;

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

    public static Command Create()
    {
        var work = new Option<string>("--work-dir")
        {
            Description = "Where the demo writes its checkpoint and outputs.",
            DefaultValueFactory = _ => Path.Combine(MiningHome.Root, ".out", "demo"),
        };
        var images = new Option<string>("--images")
        {
            Description = "Folder of images to run (default: the bundled sample images).",
            DefaultValueFactory = _ => MiningHome.SampleImages,
        };
        var runtime = new RuntimeOptionSet();
        var command = new Command("demo", "Make the demo checkpoint, run every sample image through it and print each image's five most likely first answer tokens and the time it took.")
        {
            work, images,
        };
        runtime.AddTo(command);
        command.SetAction(result => CommandFailure.Guard(() =>
        {
            var modelDirectory = Path.Combine(result.GetValue(work)!, "model");
            EnsureDemoCheckpoint(modelDirectory);
            var load = Stopwatch.StartNew();
            using var llava = LlavaRuntime.Load(modelDirectory, runtime.Read(result), maxBatchTokens: result.GetValue(runtime.MaxBatchTokens));
            Console.WriteLine($"loaded {modelDirectory} in {load.Elapsed.TotalSeconds:F1} s: {CheckpointSummary.Read(modelDirectory).Describe()}");
            var preprocessor = new ImagePreprocessor(llava.Preprocessor);
            var files = ImageFiles(result.GetValue(images)!);
            var failed = 0;
            var total = TimeSpan.Zero;
            foreach (var file in files)
            {
                var clock = Stopwatch.StartNew();
                try
                {
                    var decoded = ImageDecoder.Decode(file);
                    using var encoded = llava.Encode(preprocessor.Preprocess(decoded).PixelValues);
                    var logits = llava.BaselineLogits(encoded);
                    clock.Stop();
                    total += clock.Elapsed;
                    var top = string.Join("  ", TopTokens.Of(logits, 5).Select(t => $"{Quote(llava.Tokenizer.IdToPiece(t.Id))} {t.Probability:P1}"));
                    Console.WriteLine($"{Path.GetFileName(file),-22} {decoded.Width,5}×{decoded.Height,-5} {clock.Elapsed.TotalMilliseconds,7:F1} ms   {top}");
                }
                catch (ImageDecodeException e)
                {
                    failed++;
                    Console.WriteLine($"{Path.GetFileName(file),-22} failed: {e.Message}");
                }
            }

            var ok = files.Count - failed;
            Console.WriteLine($"{ok} images ok, {failed} failed; {(ok > 0 ? total.TotalMilliseconds / ok : 0):F1} ms per image on {llava.Device.type.ToString().ToLowerInvariant()}. The demo model's weights are random: the tokens show the path, not meaning.");
            return failed == 0 ? 0 : 1;
        }));
        return command;
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

    private static IReadOnlyList<string> ImageFiles(string folder)
    {
        if (!Directory.Exists(folder))
        {
            throw new DirectoryNotFoundException($"image folder '{folder}' does not exist");
        }

        string[] extensions = [".png", ".jpg", ".jpeg", ".bmp", ".gif", ".webp"];
        return Directory.EnumerateFiles(folder)
            .Where(f => extensions.Contains(Path.GetExtension(f).ToLowerInvariant()))
            .Order(StringComparer.Ordinal)
            .ToArray();
    }

    private static string Quote(string piece) => "'" + piece.Replace("\n", "\\n", StringComparison.Ordinal) + "'";
}
