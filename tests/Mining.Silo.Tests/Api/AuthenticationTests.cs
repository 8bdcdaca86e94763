using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Mining.Silo.Tests.Api;

/// <summary>Every endpoint behind the key answers 401 without it or with a wrong one; keys never reach the logs.</summary>
[Collection(ApiCollection.Name)]
public sealed class AuthenticationTests(ApiFixture fixture)
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public static TheoryData<string, string> Protected => new()
    {
        { "GET", "/jobs" },
        { "POST", "/jobs" },
        { "GET", "/jobs/some-job" },
        { "POST", "/jobs/some-job/cancel" },
        { "POST", "/jobs/some-job/resume" },
        { "GET", "/codebooks" },
        { "GET", "/codebooks/some-book" },
        { "GET", "/codebooks/some-book/versions/1" },
        { "GET", "/metrics" },
        { "GET", "/dashboard/DashboardCounters" },
        { "POST", "/mining/session" },
    };

    [Theory]
    [MemberData(nameof(Protected))]
    public async Task A_request_without_a_key_is_401(string method, string path)
    {
        using var client = fixture.Client(null);

        using var response = await client.SendAsync(Request(method, path), Token);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("X-Api-Key", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Protected))]
    public async Task A_request_with_a_wrong_key_is_401(string method, string path)
    {
        using var client = fixture.Client("wrong-" + Guid.NewGuid().ToString("N"));

        using var response = await client.SendAsync(Request(method, path), Token);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task A_key_that_differs_only_in_case_or_by_a_trailing_character_is_401()
    {
        using var upper = fixture.Client(fixture.Key.ToUpperInvariant());
        using var longer = fixture.Client(fixture.Key + "x");
        using var shorter = fixture.Client(fixture.Key[..^1]);

        Assert.Equal(HttpStatusCode.Unauthorized, (await upper.GetAsync("/jobs", Token)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await longer.GetAsync("/jobs", Token)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await shorter.GetAsync("/jobs", Token)).StatusCode);
    }

    [Fact]
    public async Task Each_configured_key_is_accepted()
    {
        using var first = fixture.Client(fixture.Key);
        using var second = fixture.Client(fixture.SecondKey);

        Assert.Equal(HttpStatusCode.OK, (await first.GetAsync("/jobs", Token)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await second.GetAsync("/codebooks", Token)).StatusCode);
    }

    [Fact]
    public async Task A_browser_opening_the_orleans_dashboard_without_a_key_is_sent_to_the_sign_in_page()
    {
        using var handler = new HttpClientHandler { AllowAutoRedirect = false };
        using var client = new HttpClient(handler) { BaseAddress = fixture.BaseAddress };
        using var request = Request("GET", "/dashboard/");
        request.Headers.Accept.ParseAdd("text/html");

        using var response = await client.SendAsync(request, Token);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/mining/?return=%2Fdashboard%2F", response.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task The_orleans_dashboard_answers_with_a_key()
    {
        using var client = fixture.Client();

        using var page = await client.GetAsync("/dashboard/", Token);
        var counters = await client.GetFromJsonAsync<JsonElement>("/dashboard/DashboardCounters", Token);

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Equal(JsonValueKind.Object, counters.ValueKind);
    }

    [Fact]
    public async Task Neither_a_valid_nor_a_wrong_key_is_ever_logged()
    {
        var wrong = "wrong-" + Guid.NewGuid().ToString("N");
        using var right = fixture.Client();
        using var bad = fixture.Client(wrong);
        using var second = fixture.Client(fixture.SecondKey);

        await right.GetAsync("/jobs", Token);
        await right.PostAsync("/mining/session", null, Token);
        await second.GetAsync("/codebooks", Token);
        await bad.GetAsync("/jobs", Token);
        await bad.PostAsJsonAsync("/jobs", new { images = fixture.Data }, Token);
        await right.PostAsJsonAsync("/jobs", new { images = "/etc", model = fixture.Model, codebook = "never" }, Token);

        var lines = fixture.Logs.Lines.ToArray();
        Assert.Contains(lines, line => line.Contains("/jobs", StringComparison.Ordinal));
        Assert.Contains(lines, line => line.Contains("was not authenticated", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, line => line.Contains(fixture.Key, StringComparison.Ordinal));
        Assert.DoesNotContain(lines, line => line.Contains(fixture.SecondKey, StringComparison.Ordinal));
        Assert.DoesNotContain(lines, line => line.Contains(wrong, StringComparison.Ordinal));
    }

    private static HttpRequestMessage Request(string method, string path)
    {
        var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (method == "POST")
        {
            request.Content = JsonContent.Create(new { });
        }

        return request;
    }
}
