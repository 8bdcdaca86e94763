using System.Text.Json;

namespace Mining.Client.Tests.Commands;

/// <summary><c>mining bench silos</c>: the same job on clusters of different sizes, figures in a JSON file.</summary>
public sealed class BenchSilosTests
{
    [Fact]
    public void Both_cluster_sizes_mine_the_same_codebook_and_their_figures_are_written()
    {
        var work = TestData.NewTempFolder();
        var images = Path.Combine(work, "images");
        Directory.CreateDirectory(images);
        foreach (var file in Directory.EnumerateFiles(TestData.SampleImages).Where(f => !f.EndsWith(".txt", StringComparison.Ordinal) && !f.EndsWith(".md", StringComparison.Ordinal)).Order().Take(3))
        {
            File.Copy(file, Path.Combine(images, Path.GetFileName(file)));
        }

        var figures = Path.Combine(work, "silos.json");
        var run = CliProcess.Run("bench", "silos", "--silos", "1,2", "--rounds", "1", "--images", images, "--work-dir", work, "--out", figures);

        Assert.True(run.ExitCode == 0, run.Describe());
        using var json = JsonDocument.Parse(File.ReadAllText(figures));
        var values = json.RootElement.GetProperty("figures");
        Assert.Equal(3, values.GetProperty("images").GetDouble());
        foreach (var silos in new[] { 1, 2 })
        {
            Assert.Equal(1, values.GetProperty($"silos{silos}_codebook_agrees").GetDouble());
            Assert.True(values.GetProperty($"silos{silos}_seconds").GetDouble() > 0);
            var rate = values.GetProperty($"silos{silos}_images_per_second").GetDouble();
            Assert.Equal(3 / values.GetProperty($"silos{silos}_seconds").GetDouble(), rate, 9);
        }

        Assert.Equal(1, values.GetProperty("silos1_throughput_ratio").GetDouble());
        Assert.Equal(
            values.GetProperty("silos1_seconds").GetDouble() / values.GetProperty("silos2_seconds").GetDouble(),
            values.GetProperty("silos2_throughput_ratio").GetDouble(),
            9);
    }

    [Theory]
    [InlineData("1,1")]
    [InlineData("0,3")]
    [InlineData("one")]
    public void A_bad_silo_list_is_refused_naming_the_option(string silos)
    {
        var run = CliProcess.Run("bench", "silos", "--silos", silos, "--work-dir", TestData.NewTempFolder());
        CliAssert.UserError(run, "--silos");
    }
}
