using System.Globalization;
using System.Text.RegularExpressions;

namespace Mining.Client.Tests.Commands;

/// <summary><c>mining experiment</c> without <c>--json</c>: a table on stdout that the logs (which go to stderr) do not break.</summary>
public sealed partial class ExperimentTableTests
{
    /// <summary>The default candidates of a 36-token image (see <see cref="ExperimentJsonTests"/>).</summary>
    private const int Candidates = 11;

    [Fact]
    public void Stdout_is_a_header_then_one_line_per_candidate_then_a_summary()
    {
        var run = ExperimentRuns.ChelseaTableWithHeatmap();
        Assert.True(run.ExitCode == 0, run.Describe());
        var lines = run.StdoutLines;
        Assert.True(lines.Length == Candidates + 2, run.Describe());
        Assert.Matches(HeaderPattern(), lines[0]);
        Assert.All(lines[1..^1], line => Assert.Matches(RowPattern(), line));
        Assert.Matches(SummaryPattern(), lines[^1]);
    }

    [Fact]
    public void Logs_go_to_stderr_not_into_the_table()
    {
        var run = ExperimentRuns.ChelseaTableWithHeatmap();
        Assert.True(run.ExitCode == 0, run.Describe());
        Assert.Contains(ExperimentRuns.ChelseaHeatmap, run.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain(ExperimentRuns.ChelseaHeatmap, run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Rows_show_the_reference_token_rank_similarity_and_redundancy()
    {
        var expected = ExpectedReference.Fixture.Image("chelsea");
        var rows = Rows(ExperimentRuns.ChelseaTableWithHeatmap());
        Assert.Equal(Candidates, rows.Length);
        foreach (var row in rows)
        {
            var want = expected.Token(row.Token);
            Assert.Equal(want.Rank, row.Rank);
            Assert.Equal(want.Redundant, row.Redundant);
            Assert.True(Math.Abs(want.ClsSimilarity - row.ClsSimilarity) <= 0.5e-4 + 1e-5, $"token {row.Token}: cls_sim {row.ClsSimilarity} vs {want.ClsSimilarity}");
        }
    }

    [Fact]
    public void Summary_counts_the_redundant_rows()
    {
        var run = ExperimentRuns.ChelseaTableWithHeatmap();
        var rows = Rows(run);
        var summary = SummaryPattern().Match(run.StdoutLines[^1]);
        Assert.True(summary.Success, run.Describe());
        Assert.Equal(rows.Count(r => r.Redundant), int.Parse(summary.Groups["redundant"].Value, CultureInfo.InvariantCulture));
        Assert.Contains(rows, r => r.Redundant); // chelsea's candidates include redundant tokens, so the count is not trivially 0
    }

    [Fact]
    public void Heatmap_is_a_png_file()
    {
        var run = ExperimentRuns.ChelseaTableWithHeatmap();
        Assert.True(run.ExitCode == 0, run.Describe());
        byte[] signature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];
        var bytes = File.ReadAllBytes(ExperimentRuns.ChelseaHeatmap);
        Assert.Equal(signature, bytes[..8]);
        Assert.Equal("IHDR"u8.ToArray(), bytes[12..16]);
    }

    [Fact]
    public void Heatmap_is_the_84_pixel_crop_scaled_up_by_a_whole_factor()
    {
        var run = ExperimentRuns.ChelseaTableWithHeatmap();
        Assert.True(run.ExitCode == 0, run.Describe());
        var bytes = File.ReadAllBytes(ExperimentRuns.ChelseaHeatmap);

        // IHDR, the first chunk, holds width and height as big-endian 32-bit integers at bytes 16 and 20.
        var width = (bytes[16] << 24) | (bytes[17] << 16) | (bytes[18] << 8) | bytes[19];
        var height = (bytes[20] << 24) | (bytes[21] << 16) | (bytes[22] << 8) | bytes[23];

        // The fixture's preprocessor centre-crops to 84×84 (preprocessor_config.json crop_size). The PNG stacks a 56 px
        // title band, the square crop scaled up, and a 150 px legend, at least 640 px wide for the legend's text.
        var side = height - 56 - 150;
        Assert.True(side >= 84 && side % 84 == 0, $"heatmap is {width}×{height}: its image part ({side} px high) is not a whole multiple of the 84×84 crop");
        Assert.Equal(Math.Max(side, 640), width);
    }

    private static TableRow[] Rows(CliResult run)
    {
        Assert.True(run.ExitCode == 0, run.Describe());
        return run.StdoutLines[1..^1].Select(line =>
        {
            var match = RowPattern().Match(line);
            Assert.True(match.Success, $"not a table row: '{line}'");
            return new TableRow(
                int.Parse(match.Groups["token"].Value, CultureInfo.InvariantCulture),
                int.Parse(match.Groups["rank"].Value, CultureInfo.InvariantCulture),
                double.Parse(match.Groups["cls"].Value, CultureInfo.InvariantCulture),
                match.Groups["redundant"].Value == "yes");
        }).ToArray();
    }

    [GeneratedRegex(@"^\s*token\s+rank\s+cls_sim\s+top1_prob\s+jsd_region\s+jsd_global\s+redundant\s*$")]
    private static partial Regex HeaderPattern();

    private const string Number = @"-?\d+(\.\d+)?([eE][-+]?\d+)?";

    [GeneratedRegex(@"^\s*(?<token>\d+)\s+(?<rank>\d+)\s+(?<cls>" + Number + @")\s+" + Number + @"\s+" + Number + @"\s+" + Number + @"\s*(?<redundant>yes)?\s*$")]
    private static partial Regex RowPattern();

    [GeneratedRegex(@"^(?<redundant>\d+) of 11 evaluated tokens are redundant\b")]
    private static partial Regex SummaryPattern();

    private sealed record TableRow(int Token, int Rank, double ClsSimilarity, bool Redundant);
}
