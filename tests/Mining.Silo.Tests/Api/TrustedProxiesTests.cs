using System.Net;
using System.Net.Sockets;
using Mining.Silo.Security;

namespace Mining.Silo.Tests.Api;

/// <summary>
/// Behind a TLS-terminating proxy named in <c>Mining:Api:TrustedProxies</c> (here <see cref="ApiFixture.TrustedProxy"/>), a
/// request the proxy forwards as https is https to the gateway, so its sign-in cookie is <c>Secure</c>; the same header
/// from any other address is not believed. (A gateway without the setting: <c>StandaloneGatewayTests</c>.)
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class TrustedProxiesTests(ApiFixture fixture)
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_sign_in_the_trusted_proxy_forwards_as_https_gets_a_secure_cookie()
    {
        using var proxy = new HttpClient { BaseAddress = fixture.BaseAddress };

        var attributes = await SignInCookieAttributesAsync(proxy, fixture.Key, forwardedProto: "https");

        Assert.Contains("secure", attributes);
    }

    [Fact]
    public async Task A_sign_in_the_trusted_proxy_forwards_as_http_gets_a_cookie_without_secure()
    {
        using var proxy = new HttpClient { BaseAddress = fixture.BaseAddress };

        var attributes = await SignInCookieAttributesAsync(proxy, fixture.Key, forwardedProto: "http");

        Assert.DoesNotContain("secure", attributes);
    }

    [Fact]
    public async Task A_forwarded_https_from_an_address_that_is_not_a_trusted_proxy_is_not_believed()
    {
        using var stranger = new HttpClient(From(IPAddress.Parse("127.0.0.2")), disposeHandler: true) { BaseAddress = fixture.BaseAddress };

        var attributes = await SignInCookieAttributesAsync(stranger, fixture.Key, forwardedProto: "https");

        Assert.DoesNotContain("secure", attributes);
    }

    /// <summary>Signs in through <paramref name="client"/> with <paramref name="key"/> and <c>X-Forwarded-Proto</c>; the cookie's attributes, lower case.</summary>
    internal static async Task<string[]> SignInCookieAttributesAsync(HttpClient client, string key, string forwardedProto)
    {
        using var signIn = new HttpRequestMessage(HttpMethod.Post, "/mining/session");
        signIn.Headers.Add(ApiKeyAuthenticationHandler.HeaderName, key);
        signIn.Headers.Add("X-Forwarded-Proto", forwardedProto);
        using var response = await client.SendAsync(signIn, Token);
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        var cookie = Assert.Single(response.Headers.GetValues("Set-Cookie"));
        Assert.StartsWith(DashboardSessions.CookieName + "=", cookie, StringComparison.Ordinal);
        return cookie.Split(';').Skip(1).Select(a => a.Trim().ToLowerInvariant()).ToArray();
    }

    /// <summary>A handler whose connections leave from <paramref name="source"/> (any 127.x.y.z address is this machine).</summary>
    private static SocketsHttpHandler From(IPAddress source) => new()
    {
        ConnectCallback = async (context, cancellation) =>
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                socket.Bind(new IPEndPoint(source, 0));
                await socket.ConnectAsync(context.DnsEndPoint, cancellation);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        },
    };
}
