using System.Text.Json;
using Mining.Kernels.Experiments;
using Mining.Probe.Codebooks;

namespace Mining.Client.Tests.Cluster;

/// <summary>
/// The verbs against a running cluster (<c>--cluster HOST:PORT</c>): a job submitted, watched, listed, its codebook
/// exported, and <c>mine</c> on it. xUnit runs a class's tests one after another in no set order, so every test that
/// needs the job asks for the one submission and watch, which the first of them makes.
/// </summary>
public sealed class RunningClusterTests(RunningCluster cluster) : IClassFixture<RunningCluster>
{
    private const string JobId = "client-tests-job";
    private const string CodebookName = "client-tests-book";

    private static readonly Lock Gate = new();
    private static CliResult? submitted;
    private static CliResult? watched;

    [Fact]
    public void Submit_prints_the_job_id_on_stdout()
    {
        var (submit, _) = SubmitAndWatch();
        Assert.True(submit.ExitCode == 0, submit.Describe());
        Assert.Equal([JobId], submit.StdoutLines);
    }

    [Fact]
    public void Watch_follows_the_job_to_completed_with_a_bar_per_shard()
    {
        var (_, watch) = SubmitAndWatch();
        Assert.True(watch.ExitCode == 0, watch.Describe());
        Assert.Contains("state        completed", watch.StdoutLines);
        Assert.Contains(watch.StderrLines, l => l.Contains("shard   0 [", StringComparison.Ordinal));
    }

    [Fact]
    public void List_json_holds_the_job_with_its_state_and_codebook_version()
    {
        SubmitAndWatch();
        var run = CliProcess.Run("jobs", "list", "--cluster", cluster.Gateway, "--json");
        Assert.True(run.ExitCode == 0, run.Describe());
        var job = Assert.Single(JsonDocument.Parse(run.Stdout).RootElement.EnumerateArray(), j => j.GetProperty("job_id").GetString() == JobId);
        Assert.Equal("completed", job.GetProperty("state").GetString());
        Assert.Equal(CodebookName, job.GetProperty("codebook_name").GetString());
        Assert.Equal(1, job.GetProperty("codebook_version").GetInt32());
    }

    [Fact]
    public void Status_json_counts_every_image_and_the_failed_one()
    {
        SubmitAndWatch();
        var run = CliProcess.Run("jobs", "status", JobId, "--cluster", cluster.Gateway, "--json");
        Assert.True(run.ExitCode == 0, run.Describe());
        var status = JsonDocument.Parse(run.Stdout).RootElement;
        Assert.Equal(MiningRuns.GoodImages.Length + 1, status.GetProperty("done").GetInt32());
        Assert.Equal(1, status.GetProperty("failed").GetInt32());
    }

    [Fact]
    public void Status_json_names_the_silo_endpoints_of_the_job_and_its_codebook()
    {
        SubmitAndWatch();
        var run = CliProcess.Run("jobs", "status", JobId, "--cluster", cluster.Gateway, "--json");
        Assert.True(run.ExitCode == 0, run.Describe());
        var status = JsonDocument.Parse(run.Stdout).RootElement;

        // The embedded cluster's one silo is a worker, and hosts the job and the codebook it just built anyway.
        Assert.Equal(cluster.SiloEndpoint, status.GetProperty("job_silo").GetString());
        Assert.Equal(cluster.SiloEndpoint, status.GetProperty("codebook_silo").GetString());
    }

    [Fact]
    public void Codebook_export_writes_the_rows_of_the_single_process_run()
    {
        SubmitAndWatch();
        var path = Path.Combine(TestData.NewTempFolder(), "exported.parquet");
        var run = CliProcess.Run("codebook", "export", "--name", CodebookName, "--out", path, "--cluster", cluster.Gateway);
        Assert.True(run.ExitCode == 0, run.Describe());
        var expected = CodebookParquet.Read(MiningRuns.InProcess.Codebook).Entries;
        var exported = CodebookParquet.Read(path);
        Assert.Equal(1, exported.Metadata.CodebookVersion);
        Assert.Equal(expected.Select(e => (e.SourceImageId, e.ClusterId, e.Members)), exported.Entries.Select(e => (e.SourceImageId, e.ClusterId, e.Members)));
        Assert.Equal(expected.Select(e => e.Embedding), exported.Entries.Select(e => e.Embedding));
    }

    [Fact]
    public void A_version_the_codebook_does_not_have_is_refused_naming_the_option()
    {
        SubmitAndWatch();
        var run = CliProcess.Run("codebook", "export", "--name", CodebookName, "--version", "7", "--out", Path.Combine(TestData.NewTempFolder(), "x.parquet"), "--cluster", cluster.Gateway);
        AssertUserError(run, "--version", "7");
    }

    [Fact]
    public void Status_of_an_unknown_job_is_one_error_line_naming_it()
    {
        var run = CliProcess.Run("jobs", "status", "no-such-job", "--cluster", cluster.Gateway);
        AssertUserError(run, "no-such-job");
    }

    [Fact]
    public void Mine_on_the_cluster_with_its_artifact_folder_writes_the_single_process_results()
    {
        var folder = TestData.NewTempFolder();
        var codebook = Path.Combine(folder, "codebook.parquet");
        var results = Path.Combine(folder, "images.parquet");
        var run = CliProcess.Run(MiningRuns.MineArguments(codebook, results, "--cluster", cluster.Gateway, "--artifacts", cluster.ArtifactRoot));
        Assert.True(run.ExitCode == 0, run.Describe());
        var expected = ImageResultParquet.Read(MiningRuns.InProcess.Results);
        var actual = ImageResultParquet.Read(results);
        Assert.Equal(expected.Select(r => (r.ImageId, r.Status, r.KeptCount)), actual.Select(r => (r.ImageId, r.Status, r.KeptCount)));
        Assert.Equal(expected.Select(r => r.KeptEmbeddings), actual.Select(r => r.KeptEmbeddings));
        Assert.Equal(CodebookParquet.Read(MiningRuns.InProcess.Codebook).Count, CodebookParquet.Read(codebook).Count);
    }

    [Fact]
    public void Mine_with_a_spec_the_cluster_refuses_names_the_option()
    {
        var missing = Path.Combine(TestData.NewTempFolder(), "no-such-images");
        var run = CliProcess.Run("mine", "--images", missing, "--model", TestData.FixtureModel, "--out", Path.Combine(TestData.NewTempFolder(), "c.parquet"), "--cluster", cluster.Gateway);
        Assert.True(run.ExitCode == 2, run.Describe());
        Assert.StartsWith($"mining: error: --images: {missing}", run.StderrLines[^1], StringComparison.Ordinal);
        Assert.DoesNotContain("Parameter", run.StderrLines[^1], StringComparison.Ordinal);
    }

    private (CliResult Submit, CliResult Watch) SubmitAndWatch()
    {
        lock (Gate)
        {
            if (submitted is null || watched is null)
            {
                submitted = CliProcess.Run(SubmitArguments());
                watched = CliProcess.Run("jobs", "watch", JobId, "--cluster", cluster.Gateway);
            }

            return (submitted, watched);
        }
    }

    private string[] SubmitArguments()
    {
        // mine's arguments without "mine" and "--out": the same job spec, submitted.
        var mine = MiningRuns.MineArguments("unused.parquet", null);
        var spec = new List<string>();
        for (var i = 1; i < mine.Length; i++)
        {
            if (mine[i] == "--out")
            {
                i++;
                continue;
            }

            spec.Add(mine[i]);
        }

        return ["jobs", "submit", .. spec, "--job-id", JobId, "--codebook", CodebookName, "--images-per-shard", "2", "--cluster", cluster.Gateway];
    }

    private static void AssertUserError(CliResult run, params string[] mentions)
    {
        Assert.True(run.ExitCode == 2, run.Describe());
        Assert.True(run.Stdout.Length == 0, run.Describe());
        var line = Assert.Single(run.StderrLines);
        Assert.StartsWith("mining: error: ", line, StringComparison.Ordinal);
        Assert.All(mentions, m => Assert.Contains(m, line, StringComparison.Ordinal));
    }
}
