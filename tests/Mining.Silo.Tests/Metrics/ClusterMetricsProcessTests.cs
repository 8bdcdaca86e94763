using System.Diagnostics;
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
    private const string JobId = "cluster-metrics";
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(3);

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_gateway_s_metrics_show_a_worker_process_s_images_increasing_during_a_job_and_ending_at_the_job_s_image_count()
    {
        var ports = FreePorts.Take(5);
        var key = "cluster-metrics-" + Guid.NewGuid().ToString("N");
        var root = TestData.NewTempFolder();
        var artifacts = Directory.CreateDirectory(Path.Combine(root, "artifacts")).FullName;
        var model = ApiTestData.ModelCopy(Path.Combine(root, "models", "llava-tiny"));
        var images = ApiTestData.ImageFolder(Path.Combine(root, "data", "images"), ["brick.png", "camera.png", "chelsea.png"]);
        // The last image in dataset order is a named pipe: the worker's read of it blocks until the test writes a PNG
        // into it, which holds the job mid-way (three images mined, the fourth in hand) in another process.
        var held = Path.Combine(images, "zzz-held.png");
        MakeFifo(held);
        var url = $"http://127.0.0.1:{Invariant(ports[4])}";
        using var gateway = SiloProcess.Start(
            [
                "--Mining:Silo:Role=Gateway",
                "--Mining:Silo:Name=gateway",
                $"--Mining:Silo:SiloPort={Invariant(ports[0])}",
                $"--Mining:Silo:GatewayPort={Invariant(ports[1])}",
                $"--Mining:Artifacts:Root={artifacts}",
                $"--Mining:Api:Url={url}",
                $"--Mining:Api:AllowedRoots:0={root}",
            ],
            new Dictionary<string, string> { ["MINING__API__APIKEYS__0"] = key });
        using var worker = SiloProcess.Start(
        [
            $"--Mining:Silo:Name={Worker}",
            $"--Mining:Silo:SiloPort={Invariant(ports[2])}",
            $"--Mining:Silo:GatewayPort={Invariant(ports[3])}",
            $"--Mining:Silo:PrimarySiloEndpoint=127.0.0.1:{Invariant(ports[0])}",
            $"--Mining:Artifacts:Root={artifacts}",
        ]);
        using var http = new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Add(ApiKeyAuthenticationHandler.HeaderName, key);
        var silos = new[] { gateway, worker };
        Task? release = null;
        try
        {
            await WaitForAsync(silos, async () => await ActiveSilosAsync(http) == 2, "both silos to be active");
            var before = await ScrapeUntilAsync(http, silos, s => Value(s, "mining_cluster_images_processed_total", Worker) is not null, "the worker's series");
            Assert.Equal(0, Value(before, "mining_cluster_images_processed_total", Worker));

            using (var submitted = await http.PostAsJsonAsync("/jobs", Spec(images, model), Token))
            {
                Assert.Equal(HttpStatusCode.Accepted, submitted.StatusCode);
            }

            var during = await ScrapeUntilAsync(http, silos, s => Value(s, "mining_cluster_images_processed_total", Worker) >= 3, "three images on the worker");
            var running = await JobAsync(http);
            Assert.Equal("Running", running.GetProperty("state").GetString());
            Assert.Equal(3, Value(during, "mining_cluster_images_processed_total", Worker));
            Assert.True(Value(during, "mining_cluster_variants_scored_total", Worker) > 0);
            Assert.True(Value(during, "mining_cluster_forward_calls_total", Worker) > 0);
            Assert.True(Value(during, "mining_cluster_forward_seconds_total", Worker) > 0);
            Assert.NotNull(Value(during, "mining_cluster_executor_queue_depth", Worker));

            release = Task.Run(() => Fill(held, File.ReadAllBytes(Path.Combine(ApiTestData.Samples, "coffee.png"))), Token);
            await release.WaitAsync(Patience, Token);
            await WaitForAsync(silos, async () => (await JobAsync(http)).GetProperty("state").GetString() is "Completed" or "Failed" or "Cancelled", "the job to end");
            var job = await JobAsync(http);
            Assert.Equal("Completed", job.GetProperty("state").GetString());
            var images4 = job.GetProperty("images").GetInt32();

            // The job completes once its codebook version is built, which the next reports carry.
            var after = await ScrapeUntilAsync(
                http,
                silos,
                s => Value(s, "mining_cluster_images_processed_total", Worker) >= images4 && Builds(s) >= 1,
                "the worker's final count and the codebook build");
            Assert.Equal(4, images4);
            Assert.Equal(images4, Value(after, "mining_cluster_images_processed_total", Worker));
            Assert.Equal(0, Value(after, "mining_cluster_images_failed_total", Worker));
            Assert.True(Value(after, "mining_cluster_variants_scored_total", Worker) > Value(during, "mining_cluster_variants_scored_total", Worker));
            Assert.True(Value(after, "mining_cluster_forward_calls_total", Worker) > Value(during, "mining_cluster_forward_calls_total", Worker));
            Assert.Equal(0, Value(after, "mining_cluster_images_processed_total", "gateway"));
            // The job's codebook version was built on one of the two silos (wherever its codebook grain lives).
            Assert.Equal(1, Builds(after));
            // The gateway's own executor mined nothing: without the cluster series /metrics would show 0.
            Assert.Equal(0, Value(after, "mining_images_processed_total"));
        }
        finally
        {
            gateway.Dispose();
            worker.Dispose();
            if (release is { IsCompleted: false })
            {
                // The worker died before reading the pipe: a reader lets the blocked writer go.
                File.ReadAllBytes(held);
            }
        }
    }

    /// <summary>Codebook versions built on the gateway and the worker together.</summary>
    private static double Builds(string scrape) =>
        (Value(scrape, "mining_cluster_codebook_builds_total", "gateway") ?? 0) + (Value(scrape, "mining_cluster_codebook_builds_total", Worker) ?? 0);

    private static JsonObject Spec(string images, string model) => new()
    {
        ["id"] = JobId,
        ["images"] = images,
        ["model"] = model,
        ["codebook"] = "cluster-metrics-book",
        ["parameters"] = ApiFixture.Parameters,
        ["allTokens"] = true,
        ["imagesPerShard"] = 8,
    };

    private static async Task<JsonElement> JobAsync(HttpClient http) =>
        await http.GetFromJsonAsync<JsonElement>($"/jobs/{JobId}", Token);

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

    private static void MakeFifo(string path)
    {
        using var mkfifo = Process.Start(new ProcessStartInfo("mkfifo", [path]) { UseShellExecute = false })
            ?? throw new InvalidOperationException("could not start mkfifo");
        mkfifo.WaitForExit();
        Assert.Equal(0, mkfifo.ExitCode);
    }

    /// <summary>Writes <paramref name="bytes"/> into the pipe at <paramref name="path"/>; opening it waits for the reader.</summary>
    private static void Fill(string path, byte[] bytes)
    {
        using var pipe = new FileStream(path, FileMode.Open, FileAccess.Write, FileShare.ReadWrite);
        pipe.Write(bytes);
    }

    private static string Invariant(int value) => value.ToString(CultureInfo.InvariantCulture);

    [GeneratedRegex(@"^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?<labels>[^}]*)\})? (?<value>\S+)", RegexOptions.Multiline)]
    private static partial Regex Sample();
}
