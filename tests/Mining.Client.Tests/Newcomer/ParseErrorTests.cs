namespace Mining.Client.Tests.Newcomer;

/// <summary>Parse errors a newcomer makes: one line per cause, a suggestion for a misspelling, readable type names.</summary>
public sealed class ParseErrorTests
{
    [Fact]
    public void Mining_alone_prints_the_root_help_with_the_exit_codes_and_exits_2()
    {
        var run = CliProcess.Run();
        Assert.True(run.ExitCode == 2, run.Describe());
        Assert.Contains("Usage:", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("mines a visual-redundancy codebook", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("Exit codes:", run.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("Required command was not provided", run.Stdout + run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void A_verb_without_its_command_prints_that_verbs_help()
    {
        var run = CliProcess.Run("codebook");
        Assert.True(run.ExitCode == 2, run.Describe());
        Assert.Contains("mining codebook [command]", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void A_misspelt_verb_suggests_the_verb()
    {
        var run = CliProcess.Run("minee", "--images", "x");
        CliAssert.UserError(run, "unknown command 'minee'; did you mean 'mine'?");
    }

    [Fact]
    public void A_misspelt_option_suggests_the_option_in_one_line()
    {
        var run = CliProcess.Run("mine", "--modle", TestData.FixtureModel, "--images", "x", "--out", "y");
        CliAssert.UserError(run, "unknown option '--modle'; did you mean '--model'?");
    }

    [Fact]
    public void A_value_that_is_not_a_number_names_the_option_and_the_expected_number()
    {
        var run = CliProcess.Run("probe", "--codebook", "a.parquet", "--tokens", "t.npy", "--ratio", "abc");
        CliAssert.UserError(run, "--ratio: 'abc' is not a number");
        Assert.DoesNotContain("System.", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void A_whole_number_option_says_whole_number()
    {
        var run = CliProcess.Run("model", "logits", "--model", TestData.FixtureModel, "--image", TestData.FixtureImage("chelsea.png"), "--top", "many");
        CliAssert.UserError(run, "--top: 'many' is not a whole number");
    }
}
