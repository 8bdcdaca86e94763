namespace Mining.Client.Tests.Commands;

/// <summary>
/// <c>mining mine</c> on bad input: exit code 2, one error line naming the problem, and nothing written where
/// <c>--out</c> points (the check comes before any image is mined).
/// </summary>
public sealed class MineBadInputTests
{
    [Fact]
    public void A_csv_manifest_without_an_image_id_column_is_named_with_the_missing_column()
    {
        var manifest = Path.Combine(TestData.NewTempFolder(), "images.csv");
        File.WriteAllText(manifest, $"id,path\nchelsea,{TestData.FixtureImage("chelsea.png")}\n");
        var (run, output) = Mine(manifest, TestData.FixtureModel);
        CliAssert.UserError(run, manifest, "image_id");
        AssertNothingWritten(output);
    }

    [Fact]
    public void A_jsonl_manifest_with_a_broken_line_is_named_with_the_line()
    {
        var manifest = Path.Combine(TestData.NewTempFolder(), "images.jsonl");
        File.WriteAllLines(manifest,
        [
            $$"""{"image_id": "chelsea", "path": "{{TestData.FixtureImage("chelsea.png")}}"}""",
            """{"image_id": "camera", "path": """,
        ]);
        var (run, output) = Mine(manifest, TestData.FixtureModel);
        CliAssert.UserError(run, manifest, "line 2");
        AssertNothingWritten(output);
    }

    [Fact]
    public void A_missing_model_directory_is_named()
    {
        var missing = Path.Combine(TestData.NewTempFolder(), "no-such-model");
        var (run, output) = Mine(Images.Value, missing);
        CliAssert.UserError(run, "no-such-model", "does not exist");
        AssertNothingWritten(output);
    }

    [Theory]
    [InlineData("--jsd-thres", "-1")]
    [InlineData("--image-clusters", "0")]
    public void An_out_of_range_parameter_names_the_option_and_the_value(string option, string value)
    {
        var (run, output) = Mine(Images.Value, TestData.FixtureModel, option, value);
        CliAssert.UserError(run, option, $"got {value}");
        AssertNothingWritten(output);
    }

    /// <summary>A folder holding one good image, for the cases where the images are not the problem.</summary>
    private static readonly Lazy<string> Images = new(() =>
    {
        var folder = TestData.NewTempFolder();
        File.Copy(TestData.FixtureImage("chelsea.png"), Path.Combine(folder, "chelsea.png"));
        return folder;
    });

    private static (CliResult Run, string OutputFolder) Mine(string images, string model, params string[] extra)
    {
        var output = TestData.NewTempFolder();
        var run = CliProcess.Run(
        [
            "mine", "--images", images, "--model", model, "--out", Path.Combine(output, "codebook.parquet"),
            "--results", Path.Combine(output, "images.parquet"), "--all-tokens", .. extra,
        ]);
        return (run, output);
    }

    // Not even a temporary file: the output folder stays empty.
    private static void AssertNothingWritten(string outputFolder) => Assert.Empty(Directory.GetFileSystemEntries(outputFolder));
}
