using System.Text.Json;

namespace Mining.Client.Tests.Commands;

/// <summary>
/// <c>mining codebook diff A B</c> on the released codebook and its deduplicated copy: prototypes matched by
/// embedding; exit code 0 when the same, 1 when they differ, 2 when a file cannot be read.
/// </summary>
public sealed class CodebookDiffTests
{
    [Fact]
    public void A_codebook_against_itself_is_the_same_and_exits_0()
    {
        var run = CliProcess.Run("codebook", "diff", ReferenceCodebookRuns.Imported, ReferenceCodebookRuns.Imported);
        Assert.True(run.ExitCode == 0, run.Describe());
        Assert.EndsWith("0 added, 0 removed, 0 changed, 0 metadata value(s) changed (the same codebook)", run.StdoutLines[^1]);
    }

    [Fact]
    public void Dedup_at_0_99_shows_the_47_merged_prototypes_as_removed_and_exits_1()
    {
        Assert.Equal(0, ReferenceCodebookRuns.Dedup(0.99).ExitCode);
        var run = CliProcess.Run("codebook", "diff", ReferenceCodebookRuns.Imported, ReferenceCodebookRuns.DedupPath(0.99), "--json");

        Assert.True(run.ExitCode == 1, run.Describe());
        using var diff = JsonDocument.Parse(run.Stdout);
        Assert.True(diff.RootElement.GetProperty("differ").GetBoolean());
        Assert.Equal(454 - 407, diff.RootElement.GetProperty("removed").GetArrayLength());
        Assert.Equal(0, diff.RootElement.GetProperty("added").GetArrayLength());

        // Survivors are renumbered and count the prototypes merged into them.
        var changed = diff.RootElement.GetProperty("changed").EnumerateArray().ToArray();
        Assert.NotEmpty(changed);
        Assert.Contains(changed, c => c.GetProperty("after").GetProperty("members").GetInt32() > 1);
    }

    [Fact]
    public void Swapping_the_files_swaps_added_and_removed()
    {
        Assert.Equal(0, ReferenceCodebookRuns.Dedup(0.99).ExitCode);
        var run = CliProcess.Run("codebook", "diff", ReferenceCodebookRuns.DedupPath(0.99), ReferenceCodebookRuns.Imported);
        Assert.True(run.ExitCode == 1, run.Describe());
        Assert.StartsWith("47 added, 0 removed,", run.StdoutLines[^1]);
        Assert.Equal(47, run.StdoutLines.Count(l => l.StartsWith("+ prototype ", StringComparison.Ordinal)));
    }

    [Fact]
    public void A_file_that_cannot_be_read_exits_2_naming_it()
    {
        var notes = Path.Combine(TestData.NewTempFolder(), "notes.parquet");
        File.WriteAllText(notes, "not a codebook");
        var run = CliProcess.Run("codebook", "diff", ReferenceCodebookRuns.Imported, notes);
        CliAssert.UserError(run, notes, "not a readable Parquet codebook");
    }
}
