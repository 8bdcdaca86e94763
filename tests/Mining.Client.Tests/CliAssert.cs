namespace Mining.Client.Tests;

/// <summary>The CLI's contract for bad input, checked the same way by every test that feeds it some.</summary>
internal static class CliAssert
{
    /// <summary>
    /// Exit code 2, nothing on stdout, and exactly one "mining: error: …" line on stderr, without a stack trace,
    /// that contains every one of <paramref name="mentions"/>.
    /// </summary>
    public static void UserError(CliResult run, params string[] mentions)
    {
        Assert.True(run.ExitCode == 2, run.Describe());
        Assert.True(run.Stdout.Length == 0, run.Describe());
        var line = Assert.Single(run.StderrLines);
        Assert.StartsWith("mining: error: ", line, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", line, StringComparison.Ordinal);
        Assert.All(mentions, m => Assert.Contains(m, line, StringComparison.Ordinal));
    }
}
