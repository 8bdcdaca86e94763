namespace Mining.Client.Tests.Commands;

/// <summary>
/// <c>mining demo</c>: makes the demo checkpoint in its work folder and mines every bundled sample image as a job on
/// silos in the CLI's process (two here, so the job's shards and the codebook cross silos).
/// </summary>
public sealed class DemoTests
{
    private static readonly string[] ImageExtensions = [".png", ".jpg", ".jpeg"];

    private static readonly string WorkDirectory = TestData.NewTempFolder();

    private static readonly Lazy<CliResult> Demo = new(() => CliProcess.Run("demo", "--work-dir", WorkDirectory, "--local-silos", "2"));

    [Fact]
    public void Demo_exits_0()
    {
        Assert.True(Demo.Value.ExitCode == 0, Demo.Value.Describe());
    }

    [Fact]
    public void Demo_prints_one_result_line_per_sample_image()
    {
        var samples = Directory.EnumerateFiles(TestData.SampleImages)
            .Where(f => ImageExtensions.Contains(Path.GetExtension(f).ToLowerInvariant()))
            .Select(Path.GetFileNameWithoutExtension)
            .ToArray();
        Assert.Equal(11, samples.Length); // samples/images holds 11 pictures (and LICENSES.md)
        var lines = Demo.Value.StdoutLines;
        foreach (var sample in samples)
        {
            // "  3/11 coffee   4.2 s  redundant 33/64, kept  7   median top-1 p 23 %, ..."
            var line = Assert.Single(lines, l => l.Contains($"/11 {sample} ", StringComparison.Ordinal));
            Assert.DoesNotContain("failed", line, StringComparison.Ordinal);
            Assert.Contains("/64, kept", line, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Demo_summary_counts_11_images_ok_0_failed()
    {
        Assert.Contains("images           11 ok, 0 failed (of 11)", Demo.Value.StdoutLines);
    }

    [Fact]
    public void Demo_writes_the_codebook_and_the_per_image_results_into_its_work_folder()
    {
        Assert.True(Demo.Value.ExitCode == 0, Demo.Value.Describe());
        Assert.True(File.Exists(Path.Combine(WorkDirectory, "codebook.parquet")));
        Assert.True(File.Exists(Path.Combine(WorkDirectory, "images.parquet")));
    }

    [Fact]
    public void Demo_says_where_each_shard_ran()
    {
        // 11 images, 4 per shard.
        Assert.Equal(3, Demo.Value.StdoutLines.Count(l => l.StartsWith("shard ", StringComparison.Ordinal) && l.Contains(" images on silo 127.0.0.1:", StringComparison.Ordinal)));
    }

    [Fact]
    public void Demo_ends_with_how_to_inspect_the_codebook()
    {
        var lines = Demo.Value.StdoutLines;
        Assert.NotEmpty(lines);
        Assert.StartsWith("The demo model's weights are random", lines[^1], StringComparison.Ordinal);
        Assert.Contains("codebook info", lines[^1], StringComparison.Ordinal);
    }

    /// <summary>
    /// <c>mine</c> with the default (paper's) parameters on the demo checkpoint and the 11 samples: the run explains
    /// that 11 images can never meet min_unique_images 64, and with --allow-empty records the demo's model id.
    /// </summary>
    private static readonly Lazy<(CliResult Run, string Codebook)> MineOnDemoCheckpoint = new(() =>
    {
        Assert.True(Demo.Value.ExitCode == 0, Demo.Value.Describe());
        var codebook = Path.Combine(TestData.NewTempFolder(), "codebook.parquet");
        var run = CliProcess.Run("mine", "--images", TestData.SampleImages, "--model", Path.Combine(WorkDirectory, "model"), "--out", codebook, "--allow-empty");
        return (run, codebook);
    });

    [Fact]
    public void Mine_on_the_demo_checkpoint_warns_before_mining_that_11_images_cannot_meet_min_unique_images_64()
    {
        var (run, _) = MineOnDemoCheckpoint.Value;
        Assert.True(run.ExitCode == 0, run.Describe());
        Assert.Contains("mining: warning: 11 images can never meet --min-unique-images 64", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Mine_on_the_demo_checkpoint_explains_the_empty_codebook_naming_min_unique_images()
    {
        var (run, _) = MineOnDemoCheckpoint.Value;
        Assert.Contains("funnel: candidates ", run.Stderr, StringComparison.Ordinal);
        Assert.Contains("the codebook is empty: min_unique_images 64: no cluster has more than 64 distinct images (11 images mined", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Demo_and_mine_on_the_demo_checkpoint_record_the_same_model_id()
    {
        var (run, codebook) = MineOnDemoCheckpoint.Value;
        Assert.True(run.ExitCode == 0, run.Describe());
        Assert.DoesNotContain("is the checkpoint folder's name", run.Stderr, StringComparison.Ordinal);
        using var mined = System.Text.Json.JsonDocument.Parse(CliProcess.Run("codebook", "info", codebook, "--json").Stdout);
        using var demo = System.Text.Json.JsonDocument.Parse(CliProcess.Run("codebook", "info", Path.Combine(WorkDirectory, "codebook.parquet"), "--json").Stdout);
        Assert.Equal("mining-demo-tiny-llava", demo.RootElement.GetProperty("model").GetString());
        Assert.Equal(demo.RootElement.GetProperty("model").GetString(), mined.RootElement.GetProperty("model").GetString());
    }

    [Fact]
    public void Codebook_info_summarises_the_demos_per_image_results_file()
    {
        Assert.True(Demo.Value.ExitCode == 0, Demo.Value.Describe());
        var run = CliProcess.Run("codebook", "info", Path.Combine(WorkDirectory, "images.parquet"), "--json");
        Assert.True(run.ExitCode == 0, run.Describe());
        using var info = System.Text.Json.JsonDocument.Parse(run.Stdout);
        Assert.Equal("image_results", info.RootElement.GetProperty("kind").GetString());
        Assert.Equal(11, info.RootElement.GetProperty("images_ok").GetInt32());
        Assert.Equal(11 * 64, info.RootElement.GetProperty("candidates").GetInt32()); // the demo evaluates every token
        Assert.Equal(11, info.RootElement.GetProperty("per_image").GetArrayLength());
    }
}
