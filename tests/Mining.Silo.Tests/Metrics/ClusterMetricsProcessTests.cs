using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Mining.Silo.Api;
using Mining.Silo.Metrics;
using Mining.Silo.Security;
using Mining.Silo.Tests.Api;
using Mining.Silo.Tests.Hosting;

namespace Mining.Silo.Tests.Metrics;

/// <summary>
/// The cluster's real shape: a gateway process serving <c>/metrics</c> and a worker process that mines and serves no
/// HTTP. The gateway's <c>mining_cluster_*</c> series show what the worker mines, labelled with the worker's name.
/// </summary>
public sealed partial class ClusterMetricsProcessTests
{
    private const string Worker = "worker-a";
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(3);

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_gateway_s_metrics_show_a_worker_process_s_images_rising_job_by_job_to_the_jobs_image_count()
    {
        var ports = FreePorts.Take(5);
        var key = "cluster-metrics-" + Guid.NewGuid().ToString("N");
        var root = TestData.NewTempFolder();
        var artifacts = Directory.CreateDirectory(Path.Combine(root, "artifacts")).FullName;
        var model = ApiTestData.ModelCopy(Path.Combine(root, "models", "llava-tiny"));
        var first = ApiTestData.ImageFolder(Path.Combine(root, "data", "first"), ["brick.png", "camera.png", "chelsea.png"]);
        var second = ApiTestData.ImageFolder(Path.Combine(root, "data", "second"), ["coffee.png"]);
        var url = $"http://127.0.0.1:{Invariant(ports[4])}";
        using var gateway = SiloProcess.Start(
            [
                "--Mining:Silo:Role=Gateway",
                "--Mining:Silo:Name=gateway",
                $"--Mining:Silo:SiloPort={Invariant(ports[0])}",
                $"--Mining:Silo:GatewayPort={Invariant(ports[1])}",
                $"--Mining:Silo:AllowedRoots:0={root}",
                $"--Mining:Artifacts:Root={artifacts}",
                $"--Mining:Api:Url={url}",
            ],
            new Dictionary<string, string> { ["MINING__API__APIKEYS__0"] = key });
        using var worker = SiloProcess.Start(
        [
            $"--Mining:Silo:Name={Worker}",
            $"--Mining:Silo:SiloPort={Invariant(ports[2])}",
            $"--Mining:Silo:GatewayPort={Invariant(ports[3])}",
            $"--Mining:Silo:PrimarySiloEndpoint=127.0.0.1:{Invariant(ports[0])}",
            $"--Mining:Silo:AllowedRoots:0={root}",
            $"--Mining:Artifacts:Root={artifacts}",
        ]);
        using var http = new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Add(ApiKeyAuthenticationHandler.HeaderName, key);
        var silos = new[] { gateway, worker };

        await WaitForAsync(silos, async () => await ActiveSilosAsync(http) == 2, "both silos to be active");
        var before = await ScrapeUntilAsync(http, silos, s => Value(s, "mining_cluster_images_processed_total", Worker) is not null, "the worker's series");
        Assert.Equal(0, Value(before, "mining_cluster_images_processed_total", Worker));

        // Two jobs, three images then one: the series rise with each, reported from the worker's process.
        await RunJobAsync(http, silos, "cluster-metrics-1", first, model);
        var between = await ScrapeUntilAsync(
            http,
            silos,
            s => Value(s, "mining_cluster_images_processed_total", Worker) >= 3 && Builds(s) >= 1,
            "three images on the worker and the first codebook build");
        Assert.Equal(3, Value(between, "mining_cluster_images_processed_total", Worker));
        Assert.True(Value(between, "mining_cluster_variants_scored_total", Worker) > 0);
        Assert.True(Value(between, "mining_cluster_forward_calls_total", Worker) > 0);
        Assert.True(Value(between, "mining_cluster_forward_seconds_total", Worker) > 0);
        Assert.NotNull(Value(between, "mining_cluster_executor_queue_depth", Worker));

        var images = await RunJobAsync(http, silos, "cluster-metrics-2", second, model);
        var after = await ScrapeUntilAsync(
            http,
            silos,
            s => Value(s, "mining_cluster_images_processed_total", Worker) >= 3 + images && Builds(s) >= 2,
            "the worker's final count and the second codebook build");
        Assert.Equal(1, images);
        Assert.Equal(4, Value(after, "mining_cluster_images_processed_total", Worker));
        Assert.Equal(0, Value(after, "mining_cluster_images_failed_total", Worker));
        Assert.True(Value(after, "mining_cluster_variants_scored_total", Worker) > Value(between, "mining_cluster_variants_scored_total", Worker));
        Assert.True(Value(after, "mining_cluster_forward_calls_total", Worker) > Value(between, "mining_cluster_forward_calls_total", Worker));
        Assert.Equal(0, Value(after, "mining_cluster_images_processed_total", "gateway"));
        // Each job's codebook version was built on one of the two silos (wherever its codebook grain lives).
        Assert.Equal(2, Builds(after));
        // The gateway's own executor mined nothing: without the cluster series /metrics would show 0.
        Assert.Equal(0, Value(after, "mining_images_processed_total"));
    }

    /// <summary>Submits a job over <paramref name="images"/> and waits for it to complete; returns its image count.</summary>
    private static async Task<int> RunJobAsync(HttpClient http, SiloProcess[] silos, string id, string images, string model)
    {
        using (var submitted = await http.PostAsJsonAsync("/jobs", Spec(id, images, model), Token))
        {
            Assert.Equal(HttpStatusCode.Accepted, submitted.StatusCode);
        }

        await WaitForAsync(silos, async () => (await JobAsync(http, id)).GetProperty("state").GetString() is "Completed" or "Failed" or "Cancelled", $"job '{id}' to end");
        var job = await JobAsync(http, id);
        Assert.Equal("Completed", job.GetProperty("state").GetString());
        return job.GetProperty("images").GetInt32();
    }

    /// <summary>Codebook versions built on the gateway and the worker together.</summary>
    private static double Builds(string scrape) =>
        (Value(scrape, "mining_cluster_codebook_builds_total", "gateway") ?? 0) + (Value(scrape, "mining_cluster_codebook_builds_total", Worker) ?? 0);

    private static JsonObject Spec(string id, string images, string model) => new()
    {
        ["id"] = id,
        ["images"] = images,
        ["model"] = model,
        ["codebook"] = id + "-book",
        ["parameters"] = ApiFixture.Parameters,
        ["allTokens"] = true,
        ["imagesPerShard"] = 8,
    };

    private static async Task<JsonElement> JobAsync(HttpClient http, string id) =>
        await http.GetFromJsonAsync<JsonElement>($"/jobs/{id}", Token);

    private static async Task<int> ActiveSilosAsync(HttpClient http)
    {
        try
        {
            using var response = await http.GetAsync("/healthz", Token);
            var health = await response.Content.ReadFromJsonAsync<JsonElement>(Token);
            return response.IsSuccessStatusCode ? health.GetProperty("activeSilos").GetInt32() : 0;
        }
        catch (HttpRequestException)
        {
            return 0; // not listening yet
        }
    }

    /// <summary>Scrapes <c>/metrics</c> until <paramref name="until"/> holds: reports reach the gateway every couple of seconds.</summary>
    private static async Task<string> ScrapeUntilAsync(HttpClient http, SiloProcess[] silos, Func<string, bool> until, string what)
    {
        var text = "";
        await WaitForAsync(
            silos,
            async () =>
            {
                text = await http.GetStringAsync("/metrics", Token);
                return until(text);
            },
            what);
        return text;
    }

    /// <summary>Polls <paramref name="condition"/>; fails at once if a silo exits, and after a generous limit that only keeps a broken test from hanging.</summary>
    private static async Task WaitForAsync(SiloProcess[] silos, Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!await condition())
        {
            foreach (var silo in silos)
            {
                Assert.False(silo.HasExited, $"a silo exited while waiting for {what}:\n{silo.Output}");
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"gave up waiting for {what}; gateway and worker:\n{string.Join("\n----\n", silos.Select(s => s.Output))}");
            }

            await Task.Delay(200, Token);
        }
    }

    /// <summary>The value of <paramref name="metric"/>'s sample labelled <c>silo=<paramref name="silo"/></c> (any sample when null); null when absent.</summary>
    private static double? Value(string scrape, string metric, string? silo = null) =>
        Sample().Matches(scrape)
            .Where(m => m.Groups["name"].Value == metric && (silo is null || m.Groups["labels"].Value.Contains($"{ClusterMiningSeries.SiloLabel}=\"{silo}\"", StringComparison.Ordinal)))
            .Select(m => (double?)double.Parse(m.Groups["value"].Value, CultureInfo.InvariantCulture))
            .FirstOrDefault();

    private static string Invariant(int value) => value.ToString(CultureInfo.InvariantCulture);

    [GeneratedRegex(@"^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?<labels>[^}]*)\})? (?<value>\S+)", RegexOptions.Multiline)]
    private static partial Regex Sample();
}
