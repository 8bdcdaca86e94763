namespace Mining.Client.Tests.Commands;

/// <summary>
/// Bad input: exit code 2, nothing on stdout, and one "mining: error: …" line on stderr that names the
/// problem and the input, without a stack trace.
/// </summary>
public sealed class BadInputTests
{
    [Fact]
    public void A_missing_model_directory_is_named_in_one_error_line()
    {
        var missing = Path.Combine(TestData.NewTempFolder(), "no-such-model");
        var run = CliProcess.Run("model", "logits", "--model", missing, "--image", TestData.FixtureImage("chelsea.png"));
        CliAssert.UserError(run, missing);
    }

    [Fact]
    public void An_image_file_that_is_not_an_image_is_named_in_one_error_line()
    {
        var garbage = Path.Combine(TestData.NewTempFolder(), "x.png");
        File.WriteAllBytes(garbage, [.. Enumerable.Range(0, 256).Select(i => (byte)(i * 37 + 11))]);
        var run = CliProcess.Run("model", "logits", "--model", TestData.FixtureModel, "--image", garbage);
        CliAssert.UserError(run, "x.png");
    }

    [Fact]
    public void Device_cuda_on_the_cpu_build_says_cuda_is_not_available()
    {
        // The test build uses TorchSharp's CPU backend (Directory.Build.props: TorchBackend cpu), so CUDA is never there.
        var run = CliProcess.Run("model", "logits", "--model", TestData.FixtureModel, "--image", TestData.FixtureImage("chelsea.png"), "--device", "cuda");
        CliAssert.UserError(run, "CUDA");
    }

    [Fact]
    public void A_negative_top1_threshold_names_the_option()
    {
        var run = CliProcess.Run("experiment", "--model", TestData.FixtureModel, "--image", TestData.FixtureImage("chelsea.png"), "--top1-thres", "-1");
        CliAssert.UserError(run, "--top1-thres");
    }

    [Fact]
    public void An_unknown_image_aspect_is_rejected_by_the_parser_naming_the_option_and_the_value()
    {
        var run = CliProcess.Run("experiment", "--model", TestData.FixtureModel, "--image", TestData.FixtureImage("chelsea.png"), "--image-aspect", "diagonal");
        CliAssert.UserError(run, "--image-aspect", "diagonal");
    }

    [Fact]
    public void A_top_that_is_not_a_number_is_a_parse_error_naming_the_option()
    {
        // --top's range check used to read the value inside a parse validator, which threw on a value that did not parse.
        var run = CliProcess.Run("model", "logits", "--model", TestData.FixtureModel, "--image", TestData.FixtureImage("chelsea.png"), "--top", "many");
        CliAssert.UserError(run, "--top", "many");
    }

    [Fact]
    public void Make_tiny_into_a_non_empty_directory_is_refused_and_leaves_it_alone()
    {
        var directory = TestData.NewTempFolder();
        var existing = Path.Combine(directory, "notes.txt");
        File.WriteAllText(existing, "keep me");
        var run = CliProcess.Run("model", "make-tiny", "--out", directory);
        CliAssert.UserError(run, directory, "not empty");
        Assert.Equal([existing], Directory.GetFileSystemEntries(directory));
    }
}
