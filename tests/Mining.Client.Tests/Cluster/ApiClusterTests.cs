using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;

namespace Mining.Client.Tests.Cluster;

/// <summary>
/// The verbs against a running cluster through its gateway's HTTP API (<c>--api URL</c> with <c>--api-key</c> or
/// MINING_API_KEY): a job submitted, watched, listed, its codebook downloaded; and the errors that name the URL. As in
/// <see cref="RunningClusterTests"/>, every test that needs the job asks for the one submission and watch.
/// </summary>
public sealed class ApiClusterTests(GatewayCluster cluster) : IClassFixture<GatewayCluster>
{
    private const string JobId = "client-api-job";
    private const string CodebookName = "client-api-book";

    private static readonly Lock Gate = new();
    private static CliResult? submitted;
    private static CliResult? watched;

    private Dictionary<string, string> KeyInEnvironment => new() { ["MINING_API_KEY"] = cluster.Key };

    [Fact]
    public void Submit_with_api_key_prints_the_job_id_and_names_the_gateway()
    {
        var (submit, _) = SubmitAndWatch();
        Assert.True(submit.ExitCode == 0, submit.Describe());
        Assert.Equal([JobId], submit.StdoutLines);
        Assert.Contains($"submitted job {JobId} to the gateway at {cluster.Url}/", submit.StderrLines);
    }

    [Fact]
    public void Watch_with_the_key_in_the_environment_follows_the_job_to_completed()
    {
        var (_, watch) = SubmitAndWatch();
        Assert.True(watch.ExitCode == 0, watch.Describe());
        Assert.Contains("state        completed", watch.StdoutLines);
        Assert.Contains(watch.StderrLines, l => l.Contains("shard   0 [", StringComparison.Ordinal));
    }

    [Fact]
    public void List_json_holds_the_job_with_its_state_codebook_version_and_shards()
    {
        SubmitAndWatch();
        var run = CliProcess.RunWith(KeyInEnvironment, "jobs", "list", "--api", cluster.Url, "--json");
        Assert.True(run.ExitCode == 0, run.Describe());
        var job = Assert.Single(JsonDocument.Parse(run.Stdout).RootElement.EnumerateArray(), j => j.GetProperty("job_id").GetString() == JobId);
        Assert.Equal("completed", job.GetProperty("state").GetString());
        Assert.Equal(CodebookName, job.GetProperty("codebook_name").GetString());
        Assert.Equal(1, job.GetProperty("codebook_version").GetInt32());
        Assert.NotEqual(0, job.GetProperty("shards").GetArrayLength());
    }

    [Fact]
    public void Status_json_over_http_counts_every_image_and_names_the_failed_one()
    {
        SubmitAndWatch();
        var run = CliProcess.RunWith(KeyInEnvironment, "jobs", "status", JobId, "--api", cluster.Url, "--json");
        Assert.True(run.ExitCode == 0, run.Describe());
        var status = JsonDocument.Parse(run.Stdout).RootElement;
        Assert.Equal(MiningRuns.GoodImages.Length + 1, status.GetProperty("done").GetInt32());
        Assert.Equal(1, status.GetProperty("failed").GetInt32());
        var failures = status.GetProperty("shards").EnumerateArray().SelectMany(s => s.GetProperty("failures").EnumerateArray());
        Assert.Equal(MiningRuns.CorruptImageId, Assert.Single(failures).GetProperty("image_id").GetString());
    }

    [Fact]
    public void Status_json_over_http_names_the_gateway_silo_as_home_of_the_job_and_its_codebook()
    {
        SubmitAndWatch();
        var run = CliProcess.RunWith(KeyInEnvironment, "jobs", "status", JobId, "--api", cluster.Url, "--json");
        Assert.True(run.ExitCode == 0, run.Describe());
        var status = JsonDocument.Parse(run.Stdout).RootElement;

        // Job and codebook grains prefer the gateway silo; the codebook grain is active since the job just built it.
        Assert.Equal(cluster.GatewaySiloEndpoint, status.GetProperty("job_silo").GetString());
        Assert.Equal(cluster.GatewaySiloEndpoint, status.GetProperty("codebook_silo").GetString());
    }

    [Fact]
    public void Status_json_over_http_matches_the_orleans_status_of_the_same_job()
    {
        SubmitAndWatch();
        var overHttp = CliProcess.RunWith(KeyInEnvironment, "jobs", "status", JobId, "--api", cluster.Url, "--json");
        var overOrleans = CliProcess.Run("jobs", "status", JobId, "--cluster", cluster.OrleansGateway, "--json");
        Assert.True(overHttp.ExitCode == 0, overHttp.Describe());
        Assert.True(overOrleans.ExitCode == 0, overOrleans.Describe());
        Assert.Equal(overOrleans.Stdout, overHttp.Stdout);
    }

    [Fact]
    public void Codebook_export_over_http_writes_the_bytes_the_orleans_export_writes()
    {
        SubmitAndWatch();
        var folder = TestData.NewTempFolder();
        var overHttp = Path.Combine(folder, "http.parquet");
        var overOrleans = Path.Combine(folder, "orleans.parquet");

        var download = CliProcess.Run("codebook", "export", "--name", CodebookName, "--out", overHttp, "--api", cluster.Url, "--api-key", cluster.Key);
        var export = CliProcess.Run("codebook", "export", "--name", CodebookName, "--out", overOrleans, "--cluster", cluster.OrleansGateway);

        Assert.True(download.ExitCode == 0, download.Describe());
        Assert.True(export.ExitCode == 0, export.Describe());
        Assert.Equal(File.ReadAllBytes(overOrleans), File.ReadAllBytes(overHttp));
    }

    [Fact]
    public void Cancel_of_an_unknown_job_names_the_job_and_the_gateway()
    {
        var run = CliProcess.RunWith(KeyInEnvironment, "jobs", "cancel", "no-such-job", "--api", cluster.Url);
        AssertUserError(run, "no-such-job", cluster.Url);
    }

    [Fact]
    public void A_spec_outside_the_allowed_roots_is_refused_naming_the_option()
    {
        var outside = Directory.CreateTempSubdirectory("mining-outside-roots-").FullName;
        try
        {
            var run = CliProcess.RunWith(KeyInEnvironment, "jobs", "submit", "--images", outside, "--model", TestData.FixtureModel, "--api", cluster.Url);
            AssertUserError(run, "--images", "allowed roots");
        }
        finally
        {
            Directory.Delete(outside);
        }
    }

    [Fact]
    public void Without_a_key_the_verb_stops_before_any_request_naming_the_option_the_variable_and_the_url()
    {
        var run = CliProcess.Run("jobs", "list", "--api", cluster.Url);
        AssertUserError(run, "--api-key", "MINING_API_KEY", cluster.Url);
    }

    [Fact]
    public void A_wrong_key_is_one_error_line_saying_401_and_naming_the_url()
    {
        var run = CliProcess.Run("jobs", "list", "--api", cluster.Url, "--api-key", "wrong-" + Guid.NewGuid().ToString("N"));
        AssertUserError(run, "401", cluster.Url);
    }

    [Fact]
    public void An_unreachable_url_is_one_error_line_naming_it()
    {
        var url = $"http://127.0.0.1:{UnusedPort().ToString(CultureInfo.InvariantCulture)}";
        var run = CliProcess.Run("codebook", "export", "--name", CodebookName, "--out", Path.Combine(TestData.NewTempFolder(), "x.parquet"), "--api", url, "--api-key", cluster.Key);
        AssertUserError(run, "cannot reach", url);
    }

    [Fact]
    public void Api_and_cluster_together_are_refused()
    {
        var run = CliProcess.Run("jobs", "list", "--api", cluster.Url, "--cluster", cluster.OrleansGateway, "--api-key", cluster.Key);
        AssertUserError(run, "--api", "--cluster");
    }

    private (CliResult Submit, CliResult Watch) SubmitAndWatch()
    {
        lock (Gate)
        {
            if (submitted is null || watched is null)
            {
                submitted = CliProcess.Run(SubmitArguments());
                watched = CliProcess.RunWith(KeyInEnvironment, "jobs", "watch", JobId, "--api", cluster.Url);
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

        return ["jobs", "submit", .. spec, "--job-id", JobId, "--codebook", CodebookName, "--images-per-shard", "2", "--api", cluster.Url, "--api-key", cluster.Key];
    }

    /// <summary>A loopback port nothing listens on (it was free a moment ago).</summary>
    private static int UnusedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
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
