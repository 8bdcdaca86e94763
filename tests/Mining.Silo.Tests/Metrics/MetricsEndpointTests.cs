using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Mining.Silo.Tests.Api;

namespace Mining.Silo.Tests.Metrics;

/// <summary>The Prometheus scrape endpoint shows the Mining counters moving while a job runs.</summary>
[Collection(ApiCollection.Name)]
public sealed partial class MetricsEndpointTests(ApiFixture fixture)
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact(Skip = "Issue #6, open: in the full Mining.Silo.Tests run the mining_* series are missing from /metrics (they appear when these tests run alone); the Mining meter's export from the gateway host is unresolved.")]
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

    [Fact(Skip = "Issue #6, open: in the full Mining.Silo.Tests run the mining_* series are missing from /metrics (they appear when these tests run alone); the Mining meter's export from the gateway host is unresolved.")]
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

    [GeneratedRegex(@"^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})? (?<value>\S+)", RegexOptions.Multiline)]
    private static partial Regex Sample();
}
