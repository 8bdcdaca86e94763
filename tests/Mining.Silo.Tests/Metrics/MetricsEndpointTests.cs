using System.Diagnostics.Metrics;
using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Mining.Grains.Execution;
using Mining.Silo.Tests.Api;

namespace Mining.Silo.Tests.Metrics;

/// <summary>The Prometheus scrape endpoint shows the Mining counters moving while a job runs.</summary>
[Collection(ApiCollection.Name)]
public sealed partial class MetricsEndpointTests(ApiFixture fixture)
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Two_scrapes_during_a_job_show_the_mining_counters_increasing()
    {
        // One shard mines in dataset order: brick, camera, chelsea, then the corrupt file, which stays held until the end.
        var images = fixture.NewImageFolder(["brick.png", "camera.png", "chelsea.png"], corrupt: "corrupt.png");
        string second;
        fixture.Gate.Hold("scraped");
        try
        {
            using var submitted = await fixture.SubmitAsync(fixture.Spec("scraped", images, "scraped-book", imagesPerShard: 4));
            Assert.Equal(HttpStatusCode.Accepted, submitted.StatusCode);
            fixture.Gate.Release("scraped");
            await fixture.WaitForJobAsync("scraped", job => job.GetProperty("done").GetInt32() == 1);
            var first = await ScrapeAsync();

            fixture.Gate.Release("scraped", 2);
            await fixture.WaitForJobAsync("scraped", job => job.GetProperty("done").GetInt32() == 3);
            second = await ScrapeUntilAsync(s => Value(s, "mining_images_processed_total") >= Value(first, "mining_images_processed_total") + 2);

            Assert.Equal("Running", (await fixture.WaitForJobAsync("scraped", _ => true)).GetProperty("state").GetString());
            Assert.True(Value(first, "mining_images_processed_total") >= 1);
            Assert.Equal(Value(first, "mining_images_processed_total") + 2, Value(second, "mining_images_processed_total"));
            Assert.True(Value(second, "mining_variants_scored_total") > Value(first, "mining_variants_scored_total"));
            Assert.True(Value(second, "mining_forward_batch_size_count") > Value(first, "mining_forward_batch_size_count"));
            Assert.True(Value(second, "mining_forward_duration_seconds_count") > Value(first, "mining_forward_duration_seconds_count"));
            Assert.Contains("mining_executor_queue_depth", second, StringComparison.Ordinal);
        }
        finally
        {
            fixture.Gate.Open("scraped");
        }

        Assert.Equal("Completed", (await fixture.WaitForEndAsync("scraped")).GetProperty("state").GetString());
        var after = await ScrapeUntilAsync(s => Value(s, "mining_codebook_builds_total") > Value(second, "mining_codebook_builds_total"));
        Assert.Equal(Value(second, "mining_images_failed_total") + 1, Value(after, "mining_images_failed_total"));
    }

    [Fact]
    public async Task The_metrics_endpoint_is_on_the_api_port_and_speaks_prometheus_text()
    {
        using var client = fixture.Client();

        using var response = await client.GetAsync("/metrics", Token);
        var text = await response.Content.ReadAsStringAsync(Token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(fixture.BaseAddress.Port, response.RequestMessage!.RequestUri!.Port);
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType?.MediaType, StringComparison.Ordinal);
        Assert.Contains("# TYPE mining_images_processed_total counter", text, StringComparison.Ordinal);
        Assert.Contains("# TYPE mining_images_failed_total counter", text, StringComparison.Ordinal);
        Assert.Contains("# TYPE mining_variants_scored_total counter", text, StringComparison.Ordinal);
        Assert.Contains("# TYPE mining_executor_queue_depth gauge", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_cluster_series_show_the_gateway_silo_s_report_under_its_name()
    {
        var silo = fixture.App.Services.GetRequiredService<ILocalSiloDetails>().Name;
        var label = $"silo=\"{silo}\"";

        // The silo reports and the gateway reads the reports back every couple of seconds.
        var text = await ScrapeUntilAsync(s => HasSeries(s, "mining_cluster_images_processed_total", label));

        foreach (var (metric, type) in new[]
        {
            ("mining_cluster_images_processed_total", "counter"),
            ("mining_cluster_images_failed_total", "counter"),
            ("mining_cluster_variants_scored_total", "counter"),
            ("mining_cluster_executor_faults_total", "counter"),
            ("mining_cluster_forward_calls_total", "counter"),
            ("mining_cluster_forward_seconds_total", "counter"),
            ("mining_cluster_codebook_builds_total", "counter"),
            ("mining_cluster_executor_queue_depth", "gauge"),
            ("mining_cluster_executor_cpu_queue_depth", "gauge"),
        })
        {
            Assert.Contains($"# TYPE {metric} {type}", text, StringComparison.Ordinal);
            Assert.True(HasSeries(text, metric, label), $"{metric}{{{label}}} is missing:\n{text}");
        }
    }

    [Fact]
    public async Task Another_host_s_mining_meter_coming_and_going_leaves_the_gateway_s_series_in_place()
    {
        // Every host in this process that runs an executor has its own Mining meter (the Silo tests start many);
        // OpenTelemetry listens to meters by name process-wide, so an unscoped exporter merged another host's
        // instruments into this gateway's metric streams and dropped the streams when that host stopped.
        using (var otherHost = new ServiceCollection().AddMetrics().BuildServiceProvider())
        {
            using var other = new MiningInstruments(otherHost.GetRequiredService<IMeterFactory>(), () => 1000, () => 1000);
            Assert.Equal(0, Value(await ScrapeAsync(), "mining_executor_cpu_queue_depth"));
        }

        // A stopped meter's streams are exported once more, then removed: the second scrape shows what stays.
        await ScrapeAsync();
        var text = await ScrapeAsync();
        Assert.Contains("# TYPE mining_images_processed_total counter", text, StringComparison.Ordinal);
        Assert.Contains("# TYPE mining_executor_queue_depth gauge", text, StringComparison.Ordinal);
    }

    private async Task<string> ScrapeAsync()
    {
        using var client = fixture.Client();
        return await client.GetStringAsync("/metrics", Token);
    }

    /// <summary>Scrapes until <paramref name="until"/> holds: the exporter may answer from a scrape it cached a moment ago.</summary>
    private async Task<string> ScrapeUntilAsync(Func<string, bool> until)
    {
        var text = await ScrapeAsync();
        await ApiFixture.WaitForAsync(
            async () =>
            {
                text = await ScrapeAsync();
                return until(text);
            },
            "the metrics to move");
        return text;
    }

    /// <summary>The sum of a metric's samples over all label sets (0 when absent).</summary>
    private static double Value(string scrape, string metric) =>
        Sample().Matches(scrape)
            .Where(m => m.Groups["name"].Value == metric)
            .Sum(m => double.Parse(m.Groups["value"].Value, CultureInfo.InvariantCulture));

    /// <summary>Whether <paramref name="scrape"/> has a sample of <paramref name="metric"/> whose labels include <paramref name="label"/>.</summary>
    private static bool HasSeries(string scrape, string metric, string label) =>
        Sample().Matches(scrape).Any(m => m.Groups["name"].Value == metric && m.Value.Contains(label, StringComparison.Ordinal));

    [GeneratedRegex(@"^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})? (?<value>\S+)", RegexOptions.Multiline)]
    private static partial Regex Sample();
}
