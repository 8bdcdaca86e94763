namespace Mining.Client.Tests.Commands;

/// <summary><c>--help</c> on every verb: exit 0, the usage line and the verb's own description on stdout, nothing on stderr.</summary>
public sealed class HelpTests
{
    /// <summary>Verb path (empty for the root) and a phrase of that verb's description.</summary>
    public static TheoryData<string, string> Verbs => new()
    {
        { "", "mines a visual-redundancy codebook" },
        { "demo", "Mine the sample images with the demo checkpoint as a job" },
        { "mine", "Mine a redundancy codebook" },
        { "jobs", "Submit mining jobs to a cluster" },
        { "jobs submit", "Submit a mining job and print its id" },
        { "jobs list", "List the cluster's jobs" },
        { "jobs status", "Print a job's state" },
        { "jobs watch", "Follow a job with a live progress bar" },
        { "jobs cancel", "Cancel a job" },
        { "jobs resume", "Resume a cancelled or failed job" },
        { "codebook export", "Write a codebook version" },
        { "model", "Create, inspect and run LLaVA checkpoints" },
        { "model make-tiny", "seeded random weights" },
        { "model info", "Print a checkpoint's architecture" },
        { "model logits", "First-answer-token logits" },
        { "experiment", "Run the redundancy experiments on one image" },
        { "bench", "Benchmarks" },
        { "bench forward", "Measure fp32 GEMM GFLOP/s" },
        { "bench silos", "embedded clusters of 1 and 3 silos" },
        { "bench probe", "fraction of the fp32 GEMM peak" },
        { "codebook diff", "Exit code 0: the same apart from mining.created_utc; 1: they differ; 2: a file could not be read." },
        { "codebook info", "A file of a format major version other than 1 is refused" },
        { "probe", "Prune visual tokens with a codebook" },
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
