using System.Collections.Concurrent;

namespace Mining.Client.Tests.Commands;

/// <summary>
/// The <c>mining mine</c> runs the mining tests look at, each started once per test run: the fixture model over
/// its three images copied into a folder, every token a candidate, and parameters small enough that three
/// 36-token images leave a non-empty codebook.
/// </summary>
internal static class MineRuns
{
    /// <summary>The model id the runs record in their codebooks.</summary>
    public const string ModelId = "tiny-test-model";

    /// <summary>
    /// Thresholds near the fixture model's medians (a random model's distributions are far from LLaVA's), four
    /// clusters for 36 tokens, and a pooled cluster may come from one image.
    /// </summary>
    public static readonly string[] SmallParameters =
    [
        "--all-tokens", "--top1-thres", "0.185", "--jsd-thres", "0.15",
        "--image-clusters", "4", "--prototype-clusters", "4", "--min-unique-images", "1",
    ];

    /// <summary>The files <see cref="WithBrokenImages"/> adds to the good images: a truncated PNG, an empty file, a text file.</summary>
    public static readonly string[] BrokenFiles = ["corrupt.png", "empty.png", "notes.jpg"];

    private static readonly ConcurrentDictionary<string, Lazy<MineRun>> Runs = new();

    private static readonly ConcurrentDictionary<string, Lazy<CliResult>> Infos = new();

    private static readonly Lazy<string> GoodImages = new(() => CopyFixtureImages(TestData.NewTempFolder()));

    private static readonly Lazy<string> GoodAndBrokenImages = new(() =>
    {
        var folder = CopyFixtureImages(TestData.NewTempFolder());
        var png = File.ReadAllBytes(TestData.FixtureImage("camera.png"));
        File.WriteAllBytes(Path.Combine(folder, "corrupt.png"), png[..(png.Length / 2)]); // a real PNG cut in half
        File.WriteAllBytes(Path.Combine(folder, "empty.png"), []);
        File.WriteAllText(Path.Combine(folder, "notes.jpg"), "not a picture, just a note with an image's extension\n");
        return folder;
    });

    /// <summary>The three fixture images, <c>--json</c>.</summary>
    public static MineRun Clean => Cached("clean", GoodImages);

    /// <summary>The same inputs and options as <see cref="Clean"/> once more, into another folder.</summary>
    public static MineRun CleanAgain => Cached("clean-again", GoodImages);

    /// <summary>The three fixture images plus a truncated PNG, an empty file and a text file named .jpg.</summary>
    public static MineRun WithBrokenImages => Cached("broken", GoodAndBrokenImages);

    /// <summary><c>mining codebook info FILE --json</c>, run once per file.</summary>
    public static CliResult InfoJson(string codebook) =>
        Infos.GetOrAdd(codebook, file => new Lazy<CliResult>(() => CliProcess.Run("codebook", "info", file, "--json"))).Value;

    private static MineRun Cached(string key, Lazy<string> images) => Runs.GetOrAdd(key, _ => new Lazy<MineRun>(() =>
    {
        var codebook = Path.Combine(TestData.NewTempFolder(), "codebook.parquet");
        var result = CliProcess.Run(
        [
            "mine", "--images", images.Value, "--model", TestData.FixtureModel, "--out", codebook,
            "--model-id", ModelId, "--json", .. SmallParameters,
        ]);
        return new MineRun(result, codebook);
    })).Value;

    private static string CopyFixtureImages(string folder)
    {
        foreach (var name in ExpectedReference.ImageNames)
        {
            File.Copy(TestData.FixtureImage(name + ".png"), Path.Combine(folder, name + ".png"));
        }

        return folder;
    }
}
