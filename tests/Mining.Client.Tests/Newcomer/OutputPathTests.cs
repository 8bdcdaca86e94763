namespace Mining.Client.Tests.Newcomer;

/// <summary>
/// One output-path rule for every verb that writes: checked before any work, an existing file needs --force, a
/// missing parent folder is refused, an input is never its own output, and a failed run leaves no codebook behind.
/// </summary>
public sealed class OutputPathTests
{
    [Fact]
    public void An_existing_out_is_refused_without_force_and_left_unchanged()
    {
        var existing = Path.Combine(TestData.NewTempFolder(), "notes.txt");
        File.WriteAllText(existing, "keep me");
        var run = CliProcess.Run("codebook", "import", "--npy", TestData.ReferencePrototypes, "--model", "m", "--out", existing);
        CliAssert.UserError(run, "--out", existing, "exists; pass --force to replace it");
        Assert.Equal("keep me", File.ReadAllText(existing));
    }

    [Fact]
    public void An_existing_out_is_replaced_with_force()
    {
        var existing = Path.Combine(TestData.NewTempFolder(), "cb.parquet");
        File.WriteAllText(existing, "old");
        var run = CliProcess.Run("codebook", "import", "--npy", TestData.ReferencePrototypes, "--model", "m", "--out", existing, "--force");
        Assert.True(run.ExitCode == 0, run.Describe());
        Assert.NotEqual("old", File.ReadAllText(existing));
        Assert.Equal([existing], Directory.GetFileSystemEntries(Path.GetDirectoryName(existing)!)); // no temporary file left
    }

    [Fact]
    public void Dedup_onto_its_own_input_is_refused_even_with_force()
    {
        var folder = TestData.NewTempFolder();
        var codebook = Path.Combine(folder, "cb.parquet");
        Assert.Equal(0, CliProcess.Run("codebook", "import", "--npy", TestData.ReferencePrototypes, "--model", "m", "--out", codebook).ExitCode);
        var before = File.ReadAllBytes(codebook);
        var run = CliProcess.Run("codebook", "dedup", codebook, "--cosine", "0.5", "--out", codebook, "--force");
        CliAssert.UserError(run, "--out", "is also the input");
        Assert.Equal(before, File.ReadAllBytes(codebook));
    }

    [Theory]
    [InlineData("model", "make-tiny", "--out")]
    [InlineData("codebook", "dedup", "--out")]
    [InlineData("experiment", "", "--heatmap")]
    public void A_missing_parent_folder_is_refused_before_any_work(string verb, string sub, string option)
    {
        var missing = Path.Combine(TestData.NewTempFolder(), "no-such-folder", "out.file");
        string[] arguments = (verb, sub) switch
        {
            ("model", _) => ["model", "make-tiny", "--out", missing],
            ("codebook", _) => ["codebook", "dedup", TestData.ReferencePrototypes, "--cosine", "0.9", "--out", missing],
            _ => ["experiment", "--model", TestData.FixtureModel, "--image", TestData.FixtureImage("chelsea.png"), "--heatmap", missing],
        };
        var run = CliProcess.Run(arguments);
        CliAssert.UserError(run, option, "no-such-folder", "does not exist");
        Assert.False(Directory.Exists(Path.GetDirectoryName(missing)));
    }

    [Fact]
    public void A_heatmap_onto_an_existing_file_is_refused_before_the_experiments_run()
    {
        var existing = Path.Combine(TestData.NewTempFolder(), "map.png");
        File.WriteAllText(existing, "keep me");
        var run = CliProcess.Run("experiment", "--model", TestData.FixtureModel, "--image", TestData.FixtureImage("chelsea.png"), "--heatmap", existing);
        CliAssert.UserError(run, "--heatmap", "pass --force");
        Assert.Equal("keep me", File.ReadAllText(existing));
    }

    [Fact]
    public void Make_tiny_with_force_replaces_a_non_empty_folder_as_a_whole()
    {
        var folder = TestData.NewTempFolder();
        File.WriteAllText(Path.Combine(folder, "stale.txt"), "old");
        var run = CliProcess.Run("model", "make-tiny", "--out", folder, "--force");
        Assert.True(run.ExitCode == 0, run.Describe());
        Assert.False(File.Exists(Path.Combine(folder, "stale.txt")));
        Assert.True(File.Exists(Path.Combine(folder, "config.json")));
        Assert.Empty(Directory.GetDirectories(Path.GetDirectoryName(folder)!, ".*.tmp"));
    }
}
