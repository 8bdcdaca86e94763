using System.Globalization;
using System.Text.RegularExpressions;
using Mining.Kernels.Codebooks;

namespace Mining.Client.Tests.Commands;

/// <summary>
/// <c>mining demo</c>: makes the demo checkpoint in its work folder, mines every bundled sample image with it
/// (one line per image) and writes a codebook (a summary at the end).
/// </summary>
public sealed partial class DemoTests
{
    private static readonly string[] ImageExtensions = [".png", ".jpg", ".jpeg"];

    private static readonly string WorkDirectory = TestData.NewTempFolder();

    private static readonly Lazy<CliResult> Demo = new(() => CliProcess.Run("demo", "--work-dir", WorkDirectory));

    [Fact]
    public void Demo_exits_0()
    {
        Assert.True(Demo.Value.ExitCode == 0, Demo.Value.Describe());
    }

    [Fact]
    public void Demo_prints_one_numbered_line_per_sample_image_with_its_redundant_and_kept_tokens_and_top_5()
    {
        var samples = Directory.EnumerateFiles(TestData.SampleImages)
            .Where(f => ImageExtensions.Contains(Path.GetExtension(f).ToLowerInvariant()))
            .Select(Path.GetFileNameWithoutExtension)
            .Order(StringComparer.Ordinal)
            .ToArray();
        Assert.Equal(11, samples.Length); // samples/images holds 11 pictures (and LICENSES.md)

        var lines = Demo.Value.StdoutLines.Select(l => ImageLinePattern().Match(l)).Where(m => m.Success).ToArray();
        Assert.True(lines.Length == 11, Demo.Value.Describe());
        Assert.Equal(Enumerable.Range(1, 11), lines.Select(m => Int(m, "done"))); // "  1/11", "  2/11", … in order
        Assert.Equal(samples, lines.Select(m => m.Groups["id"].Value)); // a folder's images are mined in id order
        Assert.All(lines, m =>
        {
            Assert.InRange(Int(m, "kept"), 0, Int(m, "redundant")); // kept tokens are redundant tokens of small clusters
            Assert.InRange(Int(m, "redundant"), 0, 64);
            Assert.Equal(5, m.Groups["top"].Value.Count(c => c == '%'));
        });
    }

    [Fact]
    public void Demo_prints_the_summary_11_images_ok_0_failed()
    {
        Assert.Contains("images           11 ok, 0 failed (of 11)", Demo.Value.StdoutLines);
    }

    [Fact]
    public void Demo_writes_the_codebook_whose_prototypes_the_summary_counts()
    {
        Assert.True(Demo.Value.ExitCode == 0, Demo.Value.Describe());
        var summary = Assert.Single(Demo.Value.StdoutLines, l => l.StartsWith("prototypes ", StringComparison.Ordinal));
        var match = PrototypesPattern().Match(summary);
        Assert.True(match.Success, summary);
        var codebook = CodebookParquet.Read(Path.Combine(WorkDirectory, "codebook.parquet"));
        Assert.True(codebook.Count > 0, "the demo's codebook is empty");
        Assert.Equal(Int(match, "after"), codebook.Count);
    }

    private static int Int(Match match, string group) => int.Parse(match.Groups[group].Value, CultureInfo.InvariantCulture);

    // "  1/11 astronaut            2.92 s  redundant 29/64, kept  7   top-5: '<0xF8>' 25 % '▁' 6 % …"
    [GeneratedRegex(@"^\s*(?<done>\d+)/11 (?<id>\S+)\s+[\d.,]+ s\s+redundant\s+(?<redundant>\d+)/64, kept\s+(?<kept>\d+)\s+top-5: (?<top>.+)$")]
    private static partial Regex ImageLinePattern();

    // "prototypes       74 from 6 context-independent clusters, 74 after dedup"
    [GeneratedRegex(@"^prototypes\s+\d+ from \d+ context-independent clusters, (?<after>\d+) after dedup$")]
    private static partial Regex PrototypesPattern();
}
