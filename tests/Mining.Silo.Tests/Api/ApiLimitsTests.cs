using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

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
    public async Task A_spent_key_still_reads_metrics_and_a_request_without_a_valid_key_is_still_401()
    {
        using var spender = Gateway.Client(limited.FourthKey);
        while (true)
        {
            using var response = await spender.GetAsync("/codebooks", Token);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                break;
            }

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        using var nobody = Gateway.Client(null);
        using var stranger = Gateway.Client("wrong-" + Guid.NewGuid().ToString("N"));
        using var metrics = await spender.GetAsync("/metrics", Token);
        using var health = await nobody.GetAsync("/healthz", Token);
        using var anonymous = await nobody.GetAsync("/jobs", Token);
        using var wrong = await stranger.PostAsJsonAsync("/jobs", new { }, Token);

        Assert.Equal(HttpStatusCode.OK, metrics.StatusCode);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
    }
}
