using Mining.Kernels.IO;
using Mining.Probe.Codebooks;

namespace Mining.Client.Tests.Commands;

/// <summary>
/// <c>mining probe</c> and <c>mining codebook import</c> on bad input: exit code 2, nothing on stdout, one error
/// line naming the problem; import writes no file.
/// </summary>
public sealed class ProbeBadInputTests
{
    private const int Width = 64;

    [Fact]
    public void Tokens_65_wide_for_a_64_wide_codebook_name_both_widths()
    {
        var tokens = Npy("wide.npy", rows: 3, columns: Width + 1);
        var run = CliProcess.Run("probe", "--codebook", Codebook.Value, "--tokens", tokens, "--threshold", "0.45");
        CliAssert.UserError(run, tokens, "width 65", "hidden size is 64");
    }

    [Fact]
    public void A_malformed_npy_of_tokens_is_named()
    {
        var tokens = MalformedNpy();
        var run = CliProcess.Run("probe", "--codebook", Codebook.Value, "--tokens", tokens, "--threshold", "0.45");
        CliAssert.UserError(run, tokens);
    }

    [Fact]
    public void Codebook_import_of_a_malformed_npy_names_it_and_writes_nothing()
    {
        var npy = MalformedNpy();
        var output = TestData.NewTempFolder();
        var run = CliProcess.Run("codebook", "import", "--npy", npy, "--model", "m", "--out", Path.Combine(output, "codebook.parquet"));
        CliAssert.UserError(run, npy);
        Assert.Empty(Directory.GetFileSystemEntries(output));
    }

    [Theory]
    [InlineData("--ratio", "0.5", "--threshold", "0.45")]
    [InlineData()]
    public void Probe_wants_exactly_one_of_ratio_and_threshold(params string[] modes)
    {
        var run = CliProcess.Run(["probe", "--codebook", Codebook.Value, "--tokens", Npy("tokens.npy", 3, Width), .. modes]);
        CliAssert.UserError(run, "exactly one of --ratio and --threshold");
    }

    [Fact]
    public void A_ratio_above_1_names_the_option_on_one_line()
    {
        var run = CliProcess.Run("probe", "--codebook", Codebook.Value, "--tokens", Npy("tokens.npy", 3, Width), "--ratio", "1.5");
        CliAssert.UserError(run, "--ratio", "1.5");
    }

    [Fact]
    public void A_ratio_that_is_not_a_number_is_a_parse_error_naming_the_option()
    {
        // Used to crash with a stack trace: a validator read the value that had not parsed.
        var run = CliProcess.Run("probe", "--codebook", Codebook.Value, "--tokens", Npy("tokens.npy", 3, Width), "--ratio", "half");
        CliAssert.UserError(run, "--ratio", "half");
    }

    [Fact]
    public void A_codebook_without_prototypes_is_named()
    {
        var empty = Path.Combine(TestData.NewTempFolder(), "empty.parquet");
        CodebookParquet.Write(new Codebook(Metadata, []), empty);
        var run = CliProcess.Run("probe", "--codebook", empty, "--tokens", Npy("tokens.npy", 3, Width), "--ratio", "0.5");
        CliAssert.UserError(run, empty, "no prototypes");
    }

    private static readonly CodebookMetadata Metadata = new("test-model", Width, 1, [], "{}", DateTimeOffset.UnixEpoch);

    /// <summary>A valid codebook of two 64-wide prototypes.</summary>
    private static readonly Lazy<string> Codebook = new(() =>
    {
        var path = Path.Combine(TestData.NewTempFolder(), "codebook.parquet");
        var entries = Enumerable.Range(0, 2)
            .Select(i => new CodebookEntry(i, Enumerable.Range(0, Width).Select(j => (float)Math.Sin(i + j)).ToArray(), $"image-{i}", 0, 1, 1))
            .ToArray();
        CodebookParquet.Write(new Codebook(Metadata, entries), path);
        return path;
    });

    private static string Npy(string name, int rows, int columns)
    {
        var path = Path.Combine(TestData.NewTempFolder(), name);
        NpyFile.Write(path, NpyArray.FromFloat32(Enumerable.Range(0, rows * columns).Select(i => (float)Math.Cos(i)).ToArray(), rows, columns));
        return path;
    }

    // The magic and version of an .npy v1.0, then a header that is not the Python dict literal it must be.
    private static string MalformedNpy()
    {
        var path = Path.Combine(TestData.NewTempFolder(), "malformed.npy");
        File.WriteAllBytes(path, [0x93, .. "NUMPY"u8, 1, 0, 16, 0, .. "not a dict      "u8, .. new byte[64]]);
        return path;
    }
}
