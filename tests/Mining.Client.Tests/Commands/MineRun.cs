using System.Text.Json;

namespace Mining.Client.Tests.Commands;

/// <summary>One <c>mining mine --json</c> run and the codebook file it was asked to write.</summary>
internal sealed record MineRun(CliResult Result, string Codebook)
{
    /// <summary>The summary JSON on stdout; fails the test with both streams if the run did not succeed.</summary>
    public JsonDocument Summary()
    {
        Assert.True(Result.ExitCode == 0, Result.Describe());
        return JsonDocument.Parse(Result.Stdout);
    }
}
