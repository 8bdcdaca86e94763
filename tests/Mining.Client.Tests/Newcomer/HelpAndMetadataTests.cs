using System.Text.Json;

namespace Mining.Client.Tests.Newcomer;

/// <summary>Help a newcomer can act on (examples, defaults once, only the options a verb uses) and metadata that says what was done.</summary>
public sealed class HelpAndMetadataTests
{
    [Theory]
    [InlineData("mine", "my checkpoint and my images")]
    [InlineData("experiment", "--heatmap")]
    [InlineData("codebook dedup", "--cosine 0.95")]
    [InlineData("jobs submit", "--cluster")]
    [InlineData("bench mine", "--json")]
    public void Every_verbs_help_ends_with_examples(string verb, string example)
    {
        var run = CliProcess.Run([.. verb.Split(' '), "--help"]);
        Assert.True(run.ExitCode == 0, run.Describe());
        var examples = run.Stdout[run.Stdout.IndexOf("Examples:", StringComparison.Ordinal)..];
        Assert.Contains(example, examples, StringComparison.Ordinal);
    }

    [Fact]
    public void The_root_help_ends_with_the_exit_code_table()
    {
        var run = CliProcess.Run("--help");
        Assert.True(run.ExitCode == 0, run.Describe());
        Assert.Contains("Exit codes:", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("4  the codebook came out empty (without --allow-empty)", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("3  reserved", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Defaults_are_printed_once()
    {
        var run = CliProcess.Run("mine", "--help");
        var line = Assert.Single(run.StdoutLines, l => l.TrimStart().StartsWith("--images-per-shard", StringComparison.Ordinal));
        Assert.Contains("[default: 4]", line, StringComparison.Ordinal);
        Assert.DoesNotContain("Default: 4.", line, StringComparison.Ordinal);
        Assert.DoesNotContain("(default: the bundled sample images)", string.Join('\n', CliProcess.Run("demo", "--help").StdoutLines.Where(l => l.Contains("[default:", StringComparison.Ordinal))), StringComparison.Ordinal);
    }

    [Fact]
    public void Experiment_help_lists_only_the_options_for_one_image_and_defines_the_score()
    {
        var run = CliProcess.Run("experiment", "--help");
        Assert.True(run.ExitCode == 0, run.Describe());
        Assert.Contains("--top1-thres", run.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("--min-unique-images", run.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("--dedup-cosine", run.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("--prototype-clusters", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("redundancy score is 1 − max(weighted JSD / jsd_thres, top-1 probability / top1_thres)", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void The_jobs_caveat_is_said_once()
    {
        var run = CliProcess.Run("jobs", "--help");
        Assert.Equal(1, CountOf(run.Stdout, "needs a running cluster"));
        Assert.Equal(0, CountOf(CliProcess.Run("jobs", "submit", "--help").Stdout, "whose jobs end when it exits"));
    }

    [Fact]
    public void Bench_mine_json_is_a_flag_and_out_names_the_file()
    {
        var run = CliProcess.Run("bench", "mine", "--help");
        var json = Assert.Single(run.StdoutLines, l => l.TrimStart().StartsWith("--json", StringComparison.Ordinal));
        Assert.DoesNotContain("<json>", json, StringComparison.Ordinal);
        Assert.Contains(run.StdoutLines, l => l.TrimStart().StartsWith("--out <out>", StringComparison.Ordinal));
    }

    [Fact]
    public void Codebook_dedup_records_the_cosine_it_applied()
    {
        var folder = TestData.NewTempFolder();
        var codebook = Path.Combine(folder, "cb.parquet");
        var deduplicated = Path.Combine(folder, "dedup.parquet");
        Assert.Equal(0, CliProcess.Run("codebook", "import", "--npy", TestData.ReferencePrototypes, "--model", "m", "--out", codebook).ExitCode);
        var run = CliProcess.Run("codebook", "dedup", codebook, "--cosine", "0.5", "--out", deduplicated);
        Assert.True(run.ExitCode == 0, run.Describe());
        using var info = JsonDocument.Parse(CliProcess.Run("codebook", "info", deduplicated, "--json").Stdout);
        Assert.Equal(0.5, info.RootElement.GetProperty("parameters").GetProperty("dedup_cosine").GetDouble());
    }

    private static int CountOf(string text, string phrase)
    {
        var count = 0;
        for (var at = text.IndexOf(phrase, StringComparison.Ordinal); at >= 0; at = text.IndexOf(phrase, at + 1, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }
}
