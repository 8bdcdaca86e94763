using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Mining.Benchmarks;
using Mining.Grains.Contracts;
using Mining.Kernels.Imaging;
using Mining.Kernels.Pipeline;
using Mining.Probe.Codebooks;
using Mining.Silo.Clustering;
using Mining.Silo.Hosting;

namespace Mining.Client.Commands;

/// <summary>
/// <c>mining bench silos</c>: the same mining job on embedded clusters of different sizes in this process, so the
/// figures show what orchestration across silos costs or gains when the total compute (one process, one TorchSharp
/// thread pool) stays the same.
/// </summary>
internal static class BenchSilosCommand
{
    public static Command Create()
    {
        var silos = new Option<string>("--silos")
        {
            Description = "Comma-separated silo counts; the first is the baseline the others are compared with.",
            DefaultValueFactory = _ => "1,3",
        };
        var rounds = new Option<int>("--rounds")
        {
            Description = "Measurements per silo count, interleaved (1, 3, 1, 3, ...) so that drift in the machine's load hits both; the best is reported.",
            DefaultValueFactory = _ => 2,
        };
        var images = new Option<string?>("--images")
        {
            Description = "Folder or manifest of images to mine (default: the bundled sample images).",
        };
        var work = new Option<string>("--work-dir")
        {
            Description = "Where the demo checkpoint and the codebooks are written.",
            DefaultValueFactory = _ => Path.Combine(MiningHome.Root, ".out", "bench"),
        };
        var imagesPerShard = new Option<int>("--images-per-shard") { Description = "Images per shard grain.", DefaultValueFactory = _ => 2 };
        var outFile = new Option<string>("--out")
        {
            Description = "JSON file for the figures.",
            DefaultValueFactory = _ => Path.Combine(MiningHome.Root, ".out", "bench", "silos.json"),
        };
        var force = ForceOption.Create();
        var runtime = new RuntimeOptionSet();
        var command = new Command(
            "silos",
            "Mine the same images with the demo checkpoint on embedded clusters of 1 and 3 silos (same process, same threads): each cluster runs the job once to load the model, then the timed run; reports images/s per size, the ratio to the first size, and whether the codebooks agree.")
        {
            silos, rounds, images, work, imagesPerShard, outFile, force,
        };
        runtime.AddTo(command);
        command.SetAction((result, cancellation) => CommandFailure.GuardAsync(async () =>
        {
            var checkedOut = BenchOutput.Check(result, outFile, force);
            var counts = ParseCounts(result.GetValue(silos)!);
            var roundCount = result.GetValue(rounds);
            if (roundCount < 1)
            {
                throw new ArgumentException($"--rounds must be at least 1, got {roundCount}");
            }

            if (result.GetValue(imagesPerShard) < 1)
            {
                throw new ArgumentException($"--images-per-shard must be at least 1, got {result.GetValue(imagesPerShard)}");
            }

            var workDirectory = Path.GetFullPath(result.GetValue(work)!);
            var modelDirectory = Path.Combine(workDirectory, "demo-model");
            DemoCommand.EnsureDemoCheckpoint(modelDirectory);
            var compute = ComputeFrom(result, runtime);
            var best = counts.ToDictionary(n => n, _ => double.PositiveInfinity);
            var outcomes = new Dictionary<int, MiningSummary>();
            for (var round = 0; round < roundCount; round++)
            {
                foreach (var n in counts)
                {
                    var (seconds, summary) = await MeasureAsync(n, compute, workDirectory, modelDirectory, (result.GetValue(images) ?? MiningHome.SampleImages), result.GetValue(imagesPerShard), cancellation);
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"round {round + 1}: {n} silo(s): {summary.Images} images in {seconds:F2} s ({summary.Images / seconds:F2} images/s)"));
                    best[n] = Math.Min(best[n], seconds);
                    outcomes[n] = summary;
                }
            }

            var baseline = counts[0];
            var report = new BenchmarkReport("silos")
                .Add("images", outcomes[baseline].Images)
                .Add("rounds", roundCount)
                .Add("torch_threads_setting", compute.Threads);
            foreach (var n in counts)
            {
                var rate = outcomes[n].Images / best[n];
                var ratio = best[baseline] / best[n];
                var agrees = SameCodebook(outcomes[baseline], outcomes[n]);
                report.Add($"silos{n}_seconds", best[n])
                    .Add($"silos{n}_images_per_second", rate)
                    .Add($"silos{n}_throughput_ratio", ratio)
                    .Add($"silos{n}_codebook_agrees", agrees ? 1 : 0);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{n} silo(s): best {best[n]:F2} s, {rate:F2} images/s, {ratio:F2}× the {baseline}-silo throughput; codebook {(agrees ? "agrees" : "DIFFERS")}"));
            }

            var path = checkedOut;
            report.Write(path);
            Console.WriteLine($"wrote {path}");
            return counts.All(n => SameCodebook(outcomes[baseline], outcomes[n])) ? 0 : 1;
        }));
        return command;
    }

    private static async Task<(double Seconds, MiningSummary Summary)> MeasureAsync(
        int silos, ComputeOptions compute, string workDirectory, string modelDirectory, string images, int imagesPerShard, CancellationToken cancellation)
    {
        var artifacts = Path.Combine(Path.GetTempPath(), "mining-bench-silos", Guid.NewGuid().ToString("N"));
        await using var session = await ClusterSession.StartEmbeddedAsync(
            new EmbeddedClusterOptions { Silos = silos, ArtifactRoot = artifacts, Compute = compute },
            temporaryArtifacts: true,
            cancellation);

        // The first job loads the model on every silo; the second is the one measured.
        await RunAsync(session, silos, "warm", workDirectory, modelDirectory, images, imagesPerShard, cancellation);
        var clock = Stopwatch.StartNew();
        var summary = await RunAsync(session, silos, "timed", workDirectory, modelDirectory, images, imagesPerShard, cancellation);
        return (clock.Elapsed.TotalSeconds, summary);
    }

    private static async Task<MiningSummary> RunAsync(
        ClusterSession session, int silos, string label, string workDirectory, string modelDirectory, string images, int imagesPerShard, CancellationToken cancellation)
    {
        var jobId = $"bench-silos-{silos}-{label}-{Guid.NewGuid():N}";
        var spec = new JobSpec(
            jobId,
            Path.GetFullPath(images),
            modelDirectory,
            jobId,
            DemoCommand.DemoParameters.ToJson(),
            AllTokens: true,
            ImageAspect: ImageAspect.Crop,
            ImagesPerShard: imagesPerShard,
            ModelId: "mining-demo-tiny-llava");
        var codebook = Path.Combine(workDirectory, $"silos-{silos}.parquet");
        var outcome = await JobRun.RunAsync(session, spec, codebook, null, _ => { }, _ => Task.CompletedTask, cancellation);
        return outcome.Summary ?? throw new InvalidOperationException($"bench silos: the job on {silos} silo(s) ended {JobRun.Unfinished(outcome.Status)}");
    }

    /// <summary>What must not depend on how the work was spread over silos: the counts and every prototype row (ids, sources, embeddings).</summary>
    private static bool SameCodebook(MiningSummary a, MiningSummary b)
    {
        if (a.ImagesOk != b.ImagesOk || a.Candidates != b.Candidates || a.Redundant != b.Redundant || a.Kept != b.Kept)
        {
            return false;
        }

        var rowsA = CodebookParquet.Read(a.Codebook).Entries;
        var rowsB = CodebookParquet.Read(b.Codebook).Entries;
        return rowsA.Count == rowsB.Count && rowsA.Zip(rowsB).All(pair =>
            pair.First.PrototypeId == pair.Second.PrototypeId && pair.First.SourceImageId == pair.Second.SourceImageId &&
            pair.First.ClusterId == pair.Second.ClusterId && pair.First.Embedding.AsSpan().SequenceEqual(pair.Second.Embedding));
    }

    private static ComputeOptions ComputeFrom(ParseResult result, RuntimeOptionSet runtime)
    {
        var options = runtime.Read(result);
        return new ComputeOptions
        {
            Device = options.Device,
            DType = ComputeOptions.DTypes.First(d => d.Value == options.DType).Key,
            Threads = options.Threads,
            MaxBatchTokens = result.GetValue(runtime.MaxBatchTokens),
        };
    }

    private static int[] ParseCounts(string text)
    {
        var parts = text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length == 0)
        {
            throw new ArgumentException($"--silos: '{text}' names no silo count");
        }

        var counts = parts.Select(part => int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is > 0 and <= 16
            ? n
            : throw new ArgumentException($"--silos: '{part}' is not a silo count from 1 to 16")).ToArray();
        return counts.Distinct().Count() == counts.Length ? counts : throw new ArgumentException($"--silos: '{text}' names a count twice");
    }
}
