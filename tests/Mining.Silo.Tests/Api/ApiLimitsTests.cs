using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Mining.Grains.Contracts;

namespace Mining.Silo.Tests.Api;

/// <summary>What one key can make the cluster do: requests per window, the size of a job, jobs running at once.</summary>
[Collection(LimitedGatewayCollection.Name)]
public sealed class ApiLimitsTests(LimitedGateway limited)
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private ApiFixture Gateway => limited.Gateway;

    [Fact]
    public async Task Requests_past_a_keys_limit_are_429_with_retry_after_while_other_keys_are_still_served()
    {
        using var spender = Gateway.Client(Gateway.ThirdKey);
        for (var i = 0; i < LimitedGateway.RequestsPerWindow; i++)
        {
            using var served = await spender.GetAsync(i % 2 == 0 ? "/codebooks" : "/jobs", Token);
            Assert.Equal(HttpStatusCode.OK, served.StatusCode);
        }

        using var refused = await spender.GetAsync("/jobs", Token);
        using var refusedPost = await spender.PostAsJsonAsync("/jobs", new { }, Token);
        using var other = Gateway.Client(Gateway.SecondKey);
        using var otherServed = await other.GetAsync("/jobs", Token);

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, refusedPost.StatusCode);
        var retryAfter = refused.Headers.RetryAfter?.Delta;
        Assert.NotNull(retryAfter);
        Assert.InRange(retryAfter.Value, TimeSpan.FromSeconds(1), LimitedGateway.RequestWindow);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        var problem = await refused.Content.ReadFromJsonAsync<JsonElement>(Token);
        Assert.Equal(429, problem.GetProperty("status").GetInt32());
        var detail = problem.GetProperty("detail").GetString()!;
        Assert.StartsWith($"key: more than {LimitedGateway.RequestsPerWindow} requests in ", detail, StringComparison.Ordinal);
        Assert.Contains("Mining:Api:Limits:RequestsPerWindow", detail, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', detail);
        Assert.Equal(HttpStatusCode.OK, otherServed.StatusCode);
    }

    [Fact]
    public async Task A_dataset_of_more_images_than_the_cap_is_400_naming_images_and_starts_no_job()
    {
        var images = Gateway.NewImageFolder(["brick.png", "camera.png", "chelsea.png"]);

        var (status, errors) = await SubmitAsync(Gateway.Spec("too-many-images", images, "capped-book"));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        var error = Assert.Single(Assert.Single(errors, e => e.Key == "images").Value);
        Assert.Equal($"images: '{images}' lists 3 images, more than the {LimitedGateway.MaxImagesPerJob} a job may have (Mining:Api:Limits:MaxImagesPerJob)", error);
        Assert.Equal(JobState.None, (await Gateway.Grains.GetGrain<IMiningJobGrain>("too-many-images").GetStatus()).State);
    }

    [Fact]
    public async Task A_manifest_larger_than_the_cap_is_400_naming_images_without_being_parsed()
    {
        // Not a manifest at all: had it been parsed, the refusal would be about its first line.
        var manifest = Path.Combine(Gateway.Data, Guid.NewGuid().ToString("N") + ".jsonl");
        await File.WriteAllTextAsync(manifest, new string('x', LimitedGateway.MaxManifestBytes + 1), Token);

        var (status, errors) = await SubmitAsync(Gateway.Spec("huge-manifest", manifest, "capped-book"));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        var error = Assert.Single(Assert.Single(errors, e => e.Key == "images").Value);
        Assert.Equal(
            $"images: the manifest '{manifest}' is {LimitedGateway.MaxManifestBytes + 1} bytes, more than the {LimitedGateway.MaxManifestBytes} a job may name (Mining:Api:Limits:MaxManifestBytes)",
            error);
        Assert.Equal(JobState.None, (await Gateway.Grains.GetGrain<IMiningJobGrain>("huge-manifest").GetStatus()).State);
    }

    [Fact]
    public async Task A_keys_job_past_its_running_limit_is_429_while_another_key_can_still_submit()
    {
        string[] ids = ["running-1", "running-2", "running-3", "running-other", "running-after"];
        foreach (var id in ids)
        {
            Gateway.Gate.Hold(id);
        }

        try
        {
            var images = Gateway.NewImageFolder(["brick.png"]);
            using var first = Gateway.Client(Gateway.Key);
            using var second = Gateway.Client(Gateway.SecondKey);

            using var one = await first.PostAsJsonAsync("/jobs", Gateway.Spec("running-1", images, "running-book"), Token);
            using var two = await first.PostAsJsonAsync("/jobs", Gateway.Spec("running-2", images, "running-book"), Token);
            using var three = await first.PostAsJsonAsync("/jobs", Gateway.Spec("running-3", images, "running-book"), Token);
            using var other = await second.PostAsJsonAsync("/jobs", Gateway.Spec("running-other", images, "running-book"), Token);

            Assert.Equal(HttpStatusCode.Accepted, one.StatusCode);
            Assert.Equal(HttpStatusCode.Accepted, two.StatusCode);
            Assert.Equal(HttpStatusCode.TooManyRequests, three.StatusCode);
            Assert.Equal(HttpStatusCode.Accepted, other.StatusCode);
            var problem = await three.Content.ReadFromJsonAsync<JsonElement>(Token);
            Assert.Equal(
                $"key: 2 jobs submitted with the same key are running, the most Mining:Api:Limits:MaxRunningJobsPerKey allows ({LimitedGateway.MaxRunningJobsPerKey}); wait for one to end or cancel one",
                problem.GetProperty("detail").GetString());
            Assert.Equal(JobState.None, await StateOf("running-3"));

            // Once the key's jobs have ended, it may start another.
            foreach (var id in ids)
            {
                Gateway.Gate.Open(id);
            }

            await EndOf("running-1");
            await EndOf("running-2");
            using var after = await first.PostAsJsonAsync("/jobs", Gateway.Spec("running-after", images, "running-book"), Token);
            Assert.Equal(HttpStatusCode.Accepted, after.StatusCode);
            await EndOf("running-after");
            await EndOf("running-other");
        }
        finally
        {
            foreach (var id in ids)
            {
                Gateway.Gate.Open(id);
            }
        }
    }

    [Fact]
    public async Task A_spent_key_still_reads_metrics_and_a_request_without_a_valid_key_is_still_401()
    {
        using var spender = Gateway.Client(limited.FourthKey);
        var last = HttpStatusCode.OK;
        for (var i = 0; i <= LimitedGateway.RequestsPerWindow && last == HttpStatusCode.OK; i++)
        {
            using var response = await spender.GetAsync("/codebooks", Token);
            last = response.StatusCode;
        }

        using var nobody = Gateway.Client(null);
        using var stranger = Gateway.Client("wrong-" + Guid.NewGuid().ToString("N"));
        using var metrics = await spender.GetAsync("/metrics", Token);
        using var health = await nobody.GetAsync("/healthz", Token);
        using var anonymous = await nobody.GetAsync("/jobs", Token);
        using var wrong = await stranger.PostAsJsonAsync("/jobs", new { }, Token);

        Assert.Equal(HttpStatusCode.TooManyRequests, last);
        Assert.Equal(HttpStatusCode.OK, metrics.StatusCode);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
    }

    private async Task<JobState> StateOf(string id) => (await Gateway.Grains.GetGrain<IMiningJobGrain>(id).GetStatus()).State;

    /// <summary>Waits for the job to end, asking its grain (HTTP requests would spend the key's permits).</summary>
    private Task EndOf(string id) => ApiFixture.WaitForAsync(
        async () => await StateOf(id) is JobState.Completed or JobState.Failed or JobState.Cancelled,
        $"job '{id}' to end");

    /// <summary>POSTs <paramref name="spec"/> with <see cref="ApiFixture.Key"/>: the status and, for a 400, the errors by field.</summary>
    private async Task<(HttpStatusCode Status, Dictionary<string, string[]> Errors)> SubmitAsync(System.Text.Json.Nodes.JsonObject spec)
    {
        using var client = Gateway.Client();
        using var content = new StringContent(spec.ToJsonString(), Encoding.UTF8, "application/json");
        using var response = await client.PostAsync("/jobs", content, Token);
        var text = await response.Content.ReadAsStringAsync(Token);
        var errors = response.StatusCode == HttpStatusCode.BadRequest
            ? JsonDocument.Parse(text).RootElement.GetProperty("errors").Deserialize<Dictionary<string, string[]>>()!
            : [];
        return (response.StatusCode, errors);
    }
}
