using System.Net;
using Mining.Silo.Security;

namespace Mining.Silo.Tests.Dashboard;

/// <summary>A Mining page sign-in cookie taken out of the browser, and a client that replays it as it is, with nothing else.</summary>
internal static class CopiedCookie
{
    /// <summary>Signs in at <paramref name="gateway"/> with <paramref name="key"/> and returns the cookie's value from <c>Set-Cookie</c>.</summary>
    public static async Task<string> SignInAsync(Uri gateway, string key)
    {
        using var client = new HttpClient { BaseAddress = gateway };
        using var signIn = new HttpRequestMessage(HttpMethod.Post, "/mining/session");
        signIn.Headers.Add(ApiKeyAuthenticationHandler.HeaderName, key);
        using var response = await client.SendAsync(signIn, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        var setCookie = Assert.Single(response.Headers.GetValues("Set-Cookie"));
        var prefix = DashboardSessions.CookieName + "=";
        Assert.StartsWith(prefix, setCookie, StringComparison.Ordinal);
        return setCookie[prefix.Length..setCookie.IndexOf(';', StringComparison.Ordinal)];
    }

    /// <summary>A client of <paramref name="gateway"/> that sends the cookie <paramref name="value"/> on every request and follows no redirect.</summary>
    public static HttpClient Client(Uri gateway, string value)
    {
        var client = new HttpClient(new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false }, disposeHandler: true) { BaseAddress = gateway };
        client.DefaultRequestHeaders.Add("Cookie", $"{DashboardSessions.CookieName}={value}");
        return client;
    }
}
