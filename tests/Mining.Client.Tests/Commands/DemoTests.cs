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
}
