using Mining.Kernels.Datasets;
using Mining.Kernels.Experiments;
using Mining.Kernels.Imaging;
using Mining.Kernels.Model;
using Mining.Kernels.Pipeline;
using Mining.Kernels.Runtime;
using Mining.Probe.Codebooks;
using Mining.Testing;

namespace Mining.Kernels.Tests.Pipeline;

/// <summary>
/// Mining runs on the fixture checkpoint, made once for a test class: two identical runs over a folder of sample
/// images with unreadable files among them (every token a candidate), and one run over a CSV manifest with an entry
/// whose file is missing (reference candidates). Also holds the fixture model loaded on its own, to re-encode images.
/// </summary>
public sealed class MiningRunFixture : IDisposable
{
    public const string ModelId = "llava-tiny-ref";

    /// <summary>The fixture's thresholds (32 of its 108 tokens redundant) with sizes scaled to a handful of 36-token images.</summary>
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

    /// <summary>Sample images copied into the dataset folder; their ids are the stems.</summary>
    public static readonly string[] GoodImages = ["brick.png", "camera.png", "coins.png", "rocket.jpg"];

    /// <summary>The files in the dataset folder that are not images, by id, each with what its failure reason must say.</summary>
    public static readonly IReadOnlyDictionary<string, string> BadImages = new Dictionary<string, string>
    {
        ["corrupt"] = "not a recognised image format",
        ["empty"] = "the file is empty",
        ["notes"] = "not a recognised image format",
        ["truncated"] = "the data is truncated",
    };

    /// <summary>Manifest rows: two sample images and, between them, an entry whose file does not exist.</summary>
    public const string MissingImageId = "ghost";

    private readonly string root = TestData.NewTempFolder();

    public MiningRunFixture()
    {
        var folder = Directory.CreateDirectory(Path.Combine(root, "images")).FullName;
        foreach (var name in GoodImages)
        {
            File.Copy(Path.Combine(TestData.Samples, name), Path.Combine(folder, name));
        }

        // Garbage from a fixed seed, so the same bytes every time; a PNG cut in half, so its header decodes but its pixels do not.
        var garbage = new byte[4096];
        new Random(7).NextBytes(garbage);
        File.WriteAllBytes(Path.Combine(folder, "corrupt.png"), garbage);
        File.WriteAllBytes(Path.Combine(folder, "empty.png"), []);
        File.WriteAllText(Path.Combine(folder, "notes.jpg"), "These are notes about the images, not an image.\n");
        var png = File.ReadAllBytes(Path.Combine(TestData.Samples, "coffee.png"));
        File.WriteAllBytes(Path.Combine(folder, "truncated.png"), png[..(png.Length / 2)]);

        var dataset = ImageDataset.Open(folder);
        First = Mine(dataset, CandidateMode.All, "first");
        Second = Mine(dataset, CandidateMode.All, "second");

        var manifest = Path.Combine(root, "manifest.csv");
        File.WriteAllLines(manifest,
        [
            "image_id,path",
            $"coins,{Path.Combine(folder, "coins.png")}",
            $"{MissingImageId},does-not-exist.png",
            $"rocket,{Path.Combine(folder, "rocket.jpg")}",
        ]);
        FromManifest = Mine(ImageDataset.Open(manifest), CandidateMode.Reference, "manifest");

        Runtime = LlavaRuntime.Load(TestData.FixtureModel);
    }

    /// <summary>The run over the folder, every token a candidate.</summary>
    public CompletedRun First { get; }

    /// <summary>The same run again, on the same inputs.</summary>
    public CompletedRun Second { get; }

    /// <summary>The run over the manifest, reference candidates.</summary>
    public CompletedRun FromManifest { get; }

    /// <summary>The fixture model, loaded separately from the runs.</summary>
    public LlavaRuntime Runtime { get; }

    /// <summary>Options for a run of the fixture model that writes into <paramref name="folder"/>.</summary>
    public static MiningRunOptions Options(ImageDataset dataset, CandidateMode candidates, string folder, MiningParameters? parameters = null, string? modelDirectory = null) => new(
        modelDirectory ?? TestData.FixtureModel,
        dataset,
        parameters ?? Parameters,
        candidates,
        ImageAspect.Crop,
        RuntimeOptions.Cpu,
        8192,
        Path.Combine(folder, "codebook.parquet"),
        Path.Combine(folder, "images.parquet"),
        ModelId);

    public void Dispose()
    {
        Runtime.Dispose();
        Directory.Delete(root, recursive: true);
    }

    private CompletedRun Mine(ImageDataset dataset, CandidateMode candidates, string name)
    {
        var output = Directory.CreateDirectory(Path.Combine(root, name)).FullName;
        var options = Options(dataset, candidates, output);
        var summary = MiningRun.Run(options);
        return new CompletedRun(
            dataset,
            candidates,
            options.OutputPath,
            options.ResultsPath!,
            summary,
            CodebookParquet.Read(options.OutputPath),
            ImageResultParquet.Read(options.ResultsPath!));
    }
}
