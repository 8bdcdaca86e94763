using System.Collections.Concurrent;
using System.Globalization;

namespace Mining.Client.Tests.Commands;

/// <summary>
/// The paper's released LLaVA-1.5-7B codebook through the CLI, each command run once per test run:
/// <c>codebook import</c> into Parquet, then <c>codebook dedup</c> and <c>codebook info</c> on the results.
/// </summary>
internal static class ReferenceCodebookRuns
{
    /// <summary>The model id the import records.</summary>
    public const string ModelId = "llava-hf/llava-1.5-7b-hf";

    private static readonly string Folder = TestData.NewTempFolder();

    private static readonly Lazy<CliResult> ImportRun = new(() => CliProcess.Run(
        "codebook", "import", "--npy", TestData.ReferencePrototypes, "--source-ids", TestData.ReferenceSourceIds,
        "--model", ModelId, "--out", ImportedPath));

    private static readonly ConcurrentDictionary<string, Lazy<CliResult>> Runs = new();

    private static string ImportedPath => Path.Combine(Folder, "reference.parquet");

    /// <summary><c>mining codebook import</c> of the released .npy and its source ids.</summary>
    public static CliResult Import => ImportRun.Value;

    /// <summary>The imported Parquet codebook; fails the test with both streams if the import did not succeed.</summary>
    public static string Imported
    {
        get
        {
            Assert.True(ImportRun.Value.ExitCode == 0, ImportRun.Value.Describe());
            return ImportedPath;
        }
    }

    /// <summary>Where <see cref="Dedup"/> at <paramref name="cosine"/> writes.</summary>
    public static string DedupPath(double cosine) =>
        Path.Combine(Folder, string.Create(CultureInfo.InvariantCulture, $"dedup-{cosine}.parquet"));

    /// <summary><c>mining codebook dedup</c> of the imported codebook at <paramref name="cosine"/>.</summary>
    public static CliResult Dedup(double cosine) => Cached($"dedup:{cosine}", () => CliProcess.Run(
        "codebook", "dedup", Imported, "--cosine", cosine.ToString(CultureInfo.InvariantCulture), "--out", DedupPath(cosine)));

    /// <summary><c>mining codebook info FILE --json</c>.</summary>
    public static CliResult InfoJson(string file) => Cached($"info:{file}", () => CliProcess.Run("codebook", "info", file, "--json"));

    private static CliResult Cached(string key, Func<CliResult> run) => Runs.GetOrAdd(key, _ => new Lazy<CliResult>(run)).Value;
}
