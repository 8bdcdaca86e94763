namespace Mining.Client.Tests.Commands;

/// <summary><c>mining mine</c> over a folder in which no image can be read: the run ends, but not as a success.</summary>
public sealed class MineAllFailedTests
{
    [Fact]
    public void A_run_in_which_every_image_failed_exits_1_naming_the_failures()
    {
        var images = TestData.NewTempFolder();
        File.WriteAllBytes(Path.Combine(images, "empty.png"), []);
        File.WriteAllText(Path.Combine(images, "notes.jpg"), "not a picture\n");
        var codebook = Path.Combine(TestData.NewTempFolder(), "codebook.parquet");

        var run = CliProcess.Run(["mine", "--images", images, "--model", TestData.FixtureModel, "--out", codebook, .. MineRuns.SmallParameters]);

        Assert.True(run.ExitCode == 1, run.Describe());
        Assert.Contains("every one of the 2 images failed", run.Stderr, StringComparison.Ordinal);
        Assert.Contains("empty.png", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("notes.jpg", run.Stdout, StringComparison.Ordinal);
        Assert.False(File.Exists(codebook), "a run in which every image failed leaves no codebook behind");
    }
}
