namespace Mining.Client.Tests.Commands;

/// <summary><c>mining demo</c>: makes the demo checkpoint in its work folder and runs every bundled sample image.</summary>
public sealed class DemoTests
{
    private static readonly string[] ImageExtensions = [".png", ".jpg", ".jpeg"];

    private static readonly Lazy<CliResult> Demo = new(() => CliProcess.Run("demo", "--work-dir", TestData.NewTempFolder()));

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
            .Select(Path.GetFileName)
            .ToArray();
        Assert.Equal(11, samples.Length); // samples/images holds 11 pictures (and LICENSES.md)
        var lines = Demo.Value.StdoutLines;
        foreach (var sample in samples)
        {
            var line = Assert.Single(lines, l => l.StartsWith(sample + " ", StringComparison.Ordinal));
            Assert.DoesNotContain("failed", line, StringComparison.Ordinal);
            Assert.Contains("%", line, StringComparison.Ordinal); // the top tokens' probabilities
        }
    }

    [Fact]
    public void Demo_ends_with_the_summary_11_images_ok_0_failed()
    {
        var lines = Demo.Value.StdoutLines;
        Assert.NotEmpty(lines);
        Assert.StartsWith("11 images ok, 0 failed", lines[^1], StringComparison.Ordinal);
    }
}
