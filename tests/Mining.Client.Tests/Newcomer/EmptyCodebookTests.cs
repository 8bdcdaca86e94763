namespace Mining.Client.Tests.Newcomer;

/// <summary>An empty codebook is explained, exits 4 and leaves no file (unless --allow-empty); a checkpoint without an id is warned about.</summary>
public sealed class EmptyCodebookTests
{
    private static readonly Lazy<(CliResult Run, string Codebook)> DefaultParameters = new(() =>
    {
        var codebook = Path.Combine(TestData.NewTempFolder(), "codebook.parquet");
        var images = TestData.NewTempFolder();
        File.Copy(TestData.FixtureImage("chelsea.png"), Path.Combine(images, "chelsea.png"));
        var run = CliProcess.Run("mine", "--images", images, "--model", TestData.FixtureModel, "--out", codebook, "--json");
        return (run, codebook);
    });

    [Fact]
    public void An_empty_codebook_exits_4_with_the_stage_that_emptied_it_and_writes_no_file()
    {
        var (run, codebook) = DefaultParameters.Value;
        Assert.True(run.ExitCode == 4, run.Describe());
        Assert.Contains("mining: error: the codebook came out empty: min_unique_images 64: no cluster has more than 64 distinct images (1 images mined", run.Stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(codebook));
        Assert.Empty(Directory.GetFileSystemEntries(Path.GetDirectoryName(codebook)!));
    }

    [Fact]
    public void The_json_summary_carries_the_funnel_and_the_explanation()
    {
        var (run, _) = DefaultParameters.Value;
        using var summary = System.Text.Json.JsonDocument.Parse(run.Stdout);
        Assert.StartsWith("min_unique_images 64", summary.RootElement.GetProperty("empty_because").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, summary.RootElement.GetProperty("funnel").GetProperty("prototypes").GetInt32());
        Assert.True(summary.RootElement.GetProperty("funnel").GetProperty("candidates").GetInt32() > 0);
    }

    [Fact]
    public void A_checkpoint_without_a_recorded_id_warns_that_the_id_is_its_folder_name()
    {
        var (run, _) = DefaultParameters.Value;
        Assert.Contains("mining: warning: model id 'model' is the checkpoint folder's name", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Make_tiny_records_its_model_id_in_config_json()
    {
        var folder = Path.Combine(TestData.NewTempFolder(), "tiny");
        var run = CliProcess.Run("model", "make-tiny", "--out", folder, "--model-id", "my-tiny");
        Assert.True(run.ExitCode == 0, run.Describe());
        Assert.Contains("\"_name_or_path\": \"my-tiny\"", File.ReadAllText(Path.Combine(folder, "config.json")), StringComparison.Ordinal);
    }

    [Fact]
    public void Probe_with_a_threshold_that_keeps_nothing_says_so()
    {
        var folder = TestData.NewTempFolder();
        var codebook = Path.Combine(folder, "cb.parquet");
        Assert.Equal(0, CliProcess.Run("codebook", "import", "--npy", TestData.ReferencePrototypes, "--model", "m", "--out", codebook).ExitCode);
        var run = CliProcess.Run("probe", "--codebook", codebook, "--tokens", TestData.ReferencePrototypes, "--threshold", "-2");
        Assert.True(run.ExitCode == 0, run.Describe());
        Assert.Contains("keep 0 of 454 tokens: none (every token's similarity to the codebook is at least", run.Stdout, StringComparison.Ordinal);
    }
}
