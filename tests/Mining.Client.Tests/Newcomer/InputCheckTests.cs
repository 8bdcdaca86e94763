namespace Mining.Client.Tests.Newcomer;

/// <summary>Inputs are checked before a model loads or a silo starts, and a file given for a folder (or the reverse) is named as such.</summary>
public sealed class InputCheckTests
{
    [Fact]
    public void A_model_that_is_the_config_file_is_named_as_a_file()
    {
        var config = Path.Combine(TestData.FixtureModel, "config.json");
        var run = CliProcess.Run("experiment", "--model", config, "--image", TestData.FixtureImage("chelsea.png"));
        CliAssert.UserError(run, $"--model '{config}' is a file; expected the checkpoint folder");
    }

    [Fact]
    public void An_image_that_is_a_folder_is_named_as_a_folder()
    {
        var folder = TestData.NewTempFolder();
        var run = CliProcess.Run("experiment", "--model", TestData.FixtureModel, "--image", folder);
        CliAssert.UserError(run, $"--image '{folder}' is a folder; expected an image file");
    }

    [Fact]
    public void Mine_reports_a_missing_model_before_starting_silos()
    {
        var missing = Path.Combine(TestData.NewTempFolder(), "no-such-model");
        var run = CliProcess.Run("mine", "--images", TestData.SampleImages, "--model", missing, "--out", Path.Combine(TestData.NewTempFolder(), "cb.parquet"));
        CliAssert.UserError(run, "--model", "no-such-model", "does not exist");
        Assert.DoesNotContain("job ", run.Stderr, StringComparison.Ordinal); // no job was submitted, so no silo ran
    }

    [Fact]
    public void Mine_refuses_a_bad_job_id_before_starting_silos()
    {
        var run = CliProcess.Run("mine", "--images", TestData.SampleImages, "--model", TestData.FixtureModel, "--out", Path.Combine(TestData.NewTempFolder(), "cb.parquet"), "--job-id", "../x");
        CliAssert.UserError(run, "--job-id '../x'");
    }

    [Theory]
    [InlineData("jobs list")]
    [InlineData("jobs status job-1")]
    [InlineData("jobs watch job-1")]
    [InlineData("codebook export --name x --out OUT")]
    public void Cluster_verbs_refuse_to_run_without_cluster_or_api(string command)
    {
        var arguments = command.Replace("OUT", Path.Combine(TestData.NewTempFolder(), "x.parquet"), StringComparison.Ordinal).Split(' ');
        var run = CliProcess.Run(arguments);
        CliAssert.UserError(run, "works on a running cluster: give --cluster HOST:PORT or --api URL");
    }
}
