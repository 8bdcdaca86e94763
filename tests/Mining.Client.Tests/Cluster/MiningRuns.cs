using System.Globalization;
using Mining.Kernels.Datasets;
using Mining.Kernels.Experiments;
using Mining.Kernels.Imaging;
using Mining.Kernels.Pipeline;
using Mining.Kernels.Runtime;
using Mining.Testing;

namespace Mining.Client.Tests.Cluster;

/// <summary>
/// One dataset (four sample images and a corrupt file) mined three ways, each once per test run: <c>mining mine</c>
/// on one embedded silo, on three (a shard per image, so the images spread over the silos), and the single-process
/// <see cref="MiningRun"/> in this process as the reference the cluster must reproduce.
/// </summary>
internal static class MiningRuns
{
    /// <summary>The fixture's thresholds with sizes scaled to a handful of 36-token images (as the pipeline tests use).</summary>
    public static readonly MiningParameters Parameters = new()
    {
        Top1Thres = 0.185,
        JsdThres = 0.15,
        ImageClusters = 8,
        SmallClusterMax = 8,
        PrototypeClusters = 6,
        MinUniqueImages = 1,
        DpcKnnK = 5,
    };

    public static readonly string[] GoodImages = ["brick.png", "camera.png", "coins.png", "rocket.jpg"];

    public const string CorruptImageId = "corrupt";

    private static readonly Lazy<string> Dataset = new(MakeDataset);

    private static readonly Lazy<ClusterMineRun> OneSilo = new(() => Mine("--local-silos", "1"));

    private static readonly Lazy<ClusterMineRun> ThreeSilos = new(() => Mine("--local-silos", "3", "--images-per-shard", "1"));

    private static readonly Lazy<(MiningSummary Summary, string Codebook, string Results)> SingleProcess = new(RunInProcess);

    public static ClusterMineRun OnOneSilo => OneSilo.Value;

    public static ClusterMineRun OnThreeSilos => ThreeSilos.Value;

    public static (MiningSummary Summary, string Codebook, string Results) InProcess => SingleProcess.Value;

    /// <summary>The <c>mine</c> options for <see cref="Parameters"/> on the dataset, every token a candidate.</summary>
    public static string[] MineArguments(string codebook, string? results, params string[] more)
    {
        var p = Parameters;
        string[] arguments =
        [
            "mine", "--images", Dataset.Value, "--model", TestData.FixtureModel, "--out", codebook, "--all-tokens",
            "--top1-thres", Invariant(p.Top1Thres), "--jsd-thres", Invariant(p.JsdThres), "--image-clusters", Invariant(p.ImageClusters),
            "--small-cluster-max", Invariant(p.SmallClusterMax), "--prototype-clusters", Invariant(p.PrototypeClusters),
            "--min-unique-images", Invariant(p.MinUniqueImages), "--dpc-knn-k", Invariant(p.DpcKnnK),
        ];
        return results is null ? [.. arguments, .. more] : [.. arguments, "--results", results, .. more];
    }

    private static ClusterMineRun Mine(params string[] cluster)
    {
        var folder = TestData.NewTempFolder();
        var codebook = Path.Combine(folder, "codebook.parquet");
        var results = Path.Combine(folder, "images.parquet");
        var run = CliProcess.Run(MineArguments(codebook, results, [.. cluster, "--json"]));
        return new ClusterMineRun(run, codebook, results);
    }

    private static (MiningSummary, string, string) RunInProcess()
    {
        var folder = TestData.NewTempFolder();
        var codebook = Path.Combine(folder, "codebook.parquet");
        var results = Path.Combine(folder, "images.parquet");
        var summary = MiningRun.Run(new MiningRunOptions(
            TestData.FixtureModel,
            ImageDataset.Open(Dataset.Value),
            Parameters,
            CandidateMode.All,
            ImageAspect.Crop,
            RuntimeOptions.Cpu,
            8192,
            codebook,
            results,
            "model"));
        return (summary, codebook, results);
    }

    private static string MakeDataset()
    {
        var folder = Directory.CreateDirectory(Path.Combine(TestData.NewTempFolder(), "images")).FullName;
        foreach (var name in GoodImages)
        {
            File.Copy(Path.Combine(TestData.SampleImages, name), Path.Combine(folder, name));
        }

        // Garbage from a fixed seed: the same bytes every run, and never an image.
        var garbage = new byte[4096];
        new Random(7).NextBytes(garbage);
        File.WriteAllBytes(Path.Combine(folder, CorruptImageId + ".png"), garbage);
        return folder;
    }

    private static string Invariant(IFormattable value) => value.ToString(null, CultureInfo.InvariantCulture);
}
