using System.Net;
using System.Net.Http.Json;
using Mining.Silo.Tests.Api;

namespace Mining.Silo.Tests.Dashboard;

/// <summary>The Mining page's files need no key; its sign-in turns a key into a cookie that only reads.</summary>
[Collection(ApiCollection.Name)]
public sealed class MiningPageTests(ApiFixture fixture)
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_page_is_served_without_a_key_with_a_strict_content_security_policy()
    {
        using var client = fixture.Client(null);

        using var page = await client.GetAsync("/mining/", Token);
        var html = await page.Content.ReadAsStringAsync(Token);

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Contains("<script src=\"mining.js\"", html, StringComparison.Ordinal);
        var policy = string.Join(";", page.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("script-src 'self'", policy, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", policy, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/mining/mining.js", "text/javascript")]
    [InlineData("/mining/mining.css", "text/css")]
    public async Task The_pages_script_and_style_are_served(string path, string mediaType)
    {
        using var client = fixture.Client(null);

        using var response = await client.GetAsync(path, Token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(mediaType, response.Content.Headers.ContentType?.MediaType);
        Assert.NotEmpty(await response.Content.ReadAsByteArrayAsync(Token));
    }

    [Fact]
    public async Task An_unknown_page_file_is_404()
    {
        using var client = fixture.Client(null);

        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/mining/secrets.json", Token)).StatusCode);
    }

    [Fact]
    public async Task Signing_in_with_a_key_sets_an_http_only_same_site_strict_cookie_without_the_key()
    {
        using var client = fixture.Client();

        using var response = await client.PostAsync("/mining/session", null, Token);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        var cookie = Assert.Single(response.Headers.GetValues("Set-Cookie"));
        Assert.StartsWith("mining-session=", cookie, StringComparison.Ordinal);
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(fixture.Key, cookie, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_sign_in_cookie_reads_the_api_without_a_key()
    {
        using var browser = await SignedInBrowserAsync();

        using var jobs = await browser.GetAsync("/jobs", Token);
        using var codebooks = await browser.GetAsync("/codebooks", Token);
        using var metrics = await browser.GetAsync("/metrics", Token);

        Assert.Equal(HttpStatusCode.OK, jobs.StatusCode);
        Assert.Equal(HttpStatusCode.OK, codebooks.StatusCode);
        Assert.Equal(HttpStatusCode.OK, metrics.StatusCode);
    }

    [Fact]
    public async Task The_sign_in_cookie_never_submits_or_cancels_a_job()
    {
        using var browser = await SignedInBrowserAsync();

        using var submit = await browser.PostAsJsonAsync("/jobs", fixture.Spec("by-cookie", fixture.NewImageFolder(["brick.png"]), "by-cookie"), Token);
        using var cancel = await browser.PostAsync("/jobs/by-cookie/cancel", null, Token);

        Assert.Equal(HttpStatusCode.Unauthorized, submit.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, cancel.StatusCode);
    }

    [Fact]
    public async Task Signing_in_with_a_wrong_key_sets_no_cookie()
    {
        using var client = fixture.Client("wrong-" + Guid.NewGuid().ToString("N"));

        using var response = await client.PostAsync("/mining/session", null, Token);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.False(response.Headers.Contains("Set-Cookie"));
    }

    [Fact]
    public async Task A_forged_cookie_is_401()
    {
        using var handler = new HttpClientHandler();
        handler.CookieContainer.Add(fixture.BaseAddress, new Cookie("mining-session", "forged-value"));
        using var browser = new HttpClient(handler) { BaseAddress = fixture.BaseAddress };

        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.GetAsync("/jobs", Token)).StatusCode);
    }

    [Fact]
    public async Task Signing_out_ends_the_session()
    {
        using var browser = await SignedInBrowserAsync();

        using var signOut = await browser.DeleteAsync("/mining/session", Token);
        using var jobs = await browser.GetAsync("/jobs", Token);

        Assert.Equal(HttpStatusCode.NoContent, signOut.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, jobs.StatusCode);
    }

    [Fact]
    public async Task A_copied_cookie_is_refused_once_its_session_is_signed_out()
    {
        var cookie = await CopiedCookie.SignInAsync(fixture.BaseAddress, fixture.Key);
        using var copy = CopiedCookie.Client(fixture.BaseAddress, cookie);
        using var browser = CopiedCookie.Client(fixture.BaseAddress, cookie);
        using (var before = await copy.GetAsync("/jobs", Token))
        {
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        }

        using var signOut = await browser.DeleteAsync("/mining/session", Token);
        using var after = await copy.GetAsync("/jobs", Token);

        Assert.Equal(HttpStatusCode.NoContent, signOut.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
    }

    [Fact]
    public async Task A_browser_replaying_a_signed_out_cookie_is_sent_to_the_sign_in_page()
    {
        var cookie = await CopiedCookie.SignInAsync(fixture.BaseAddress, fixture.Key);
        using var copy = CopiedCookie.Client(fixture.BaseAddress, cookie);
        (await copy.DeleteAsync("/mining/session", Token)).Dispose();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/dashboard/");
        request.Headers.Accept.ParseAdd("text/html");

        using var response = await copy.SendAsync(request, Token);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/mining/?return=%2Fdashboard%2F", response.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task Signing_out_ends_only_that_session()
    {
        var signedOut = await CopiedCookie.SignInAsync(fixture.BaseAddress, fixture.Key);
        var other = await CopiedCookie.SignInAsync(fixture.BaseAddress, fixture.Key);
        using var first = CopiedCookie.Client(fixture.BaseAddress, signedOut);
        using var second = CopiedCookie.Client(fixture.BaseAddress, other);

        (await first.DeleteAsync("/mining/session", Token)).Dispose();

        Assert.Equal(HttpStatusCode.Unauthorized, (await first.GetAsync("/jobs", Token)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await second.GetAsync("/jobs", Token)).StatusCode);
    }

    /// <summary>A client that signed in with the key and from then on sends only the cookie.</summary>
    private async Task<HttpClient> SignedInBrowserAsync()
    {
        var handler = new HttpClientHandler { CookieContainer = new CookieContainer() };
        var browser = new HttpClient(handler, disposeHandler: true) { BaseAddress = fixture.BaseAddress };
        using var signIn = new HttpRequestMessage(HttpMethod.Post, "/mining/session");
        signIn.Headers.Add("X-Api-Key", fixture.Key);
        using var response = await browser.SendAsync(signIn, Token);
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        return browser;
    }
}
