namespace Mining.Client.Tests.Commands;

/// <summary><c>--help</c> on every verb: exit 0, the usage line and the verb's own description on stdout, nothing on stderr.</summary>
public sealed class HelpTests
{
    /// <summary>Verb path (empty for the root) and a phrase of that verb's description.</summary>
    public static TheoryData<string, string> Verbs => new()
    {
        { "", "mines a visual-redundancy codebook" },
        { "demo", "Mine the sample images with the demo checkpoint" },
        { "model", "Create, inspect and run LLaVA checkpoints" },
        { "model make-tiny", "seeded random weights" },
        { "model info", "Print a checkpoint's architecture" },
        { "model logits", "First-answer-token logits" },
        { "experiment", "Run the redundancy experiments on one image" },
        { "mine", "Mine a redundancy codebook" },
        { "codebook", "Import, inspect and deduplicate codebook" },
        { "codebook import", "Convert a codebook saved as .npy" },
        { "codebook info", "Print a codebook's rows" },
        { "codebook dedup", "Merge near-duplicate prototypes" },
        { "probe", "Prune visual tokens with a codebook" },
        { "bench", "Benchmarks" },
        { "bench forward", "Measure fp32 GEMM GFLOP/s" },
    };

    [Theory]
    [MemberData(nameof(Verbs))]
    public void Help_exits_0_with_the_usage_and_the_verbs_description(string verb, string description)
    {
        var path = verb.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var run = CliProcess.Run([.. path, "--help"]);
        Assert.True(run.ExitCode == 0, run.Describe());
        Assert.Contains("Usage:", run.Stdout, StringComparison.Ordinal);
        Assert.Contains(string.Join(' ', ["mining", .. path]), run.Stdout, StringComparison.Ordinal);
        Assert.Contains(description, run.Stdout, StringComparison.Ordinal);
        Assert.Empty(run.Stderr);
    }
}
