using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Mining.Silo.Security;

/// <summary>
/// Authenticates a request by the key in its <c>X-Api-Key</c> header or, for reads only (GET, HEAD), by a Mining
/// page sign-in cookie; answers a missing or wrong key with 401, or sends a browser to the Mining page's sign-in.
/// </summary>
/// <remarks>
/// The cookie stands for a key so that the dashboards' own requests and plain download links work in a browser.
/// It never authorizes a POST: with SameSite=Strict that already holds, and refusing it here keeps another site
/// from submitting or cancelling jobs even through a browser that ignores SameSite. Nothing here logs a key.
/// </remarks>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    ApiKeyRing keys,
    DashboardSessions sessions)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    /// <summary>The authentication scheme's name.</summary>
    public const string SchemeName = "MiningApiKey";

    /// <summary>The header that carries the key.</summary>
    public const string HeaderName = "X-Api-Key";

    /// <summary>The claim that carries the id of the key a caller presented (see <see cref="ApiKeyRing"/>).</summary>
    public const string KeyIdClaim = "mining:key";

    /// <inheritdoc />
    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (Request.Headers.TryGetValue(HeaderName, out var presented))
        {
            var keyId = presented.Count == 1 ? keys.Match(presented[0]) : null;
            return keyId is null
                ? AuthenticateResult.Fail($"the {HeaderName} header does not hold a valid key")
                : Success(keyId, "header");
        }

        if ((HttpMethods.IsGet(Request.Method) || HttpMethods.IsHead(Request.Method))
            && Request.Cookies.TryGetValue(DashboardSessions.CookieName, out var cookie))
        {
            string? sessionKeyId;
            try
            {
                sessionKeyId = await sessions.ValidateAsync(cookie);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // Whether the session was signed out is not known: refuse it rather than let a signed-out cookie through.
                Logger.LogWarning(e, "Could not check a Mining page session against the signed-out sessions");
                return AuthenticateResult.Fail("the session could not be checked");
            }

            return sessionKeyId is null ? AuthenticateResult.NoResult() : Success(sessionKeyId, "session");
        }

        return AuthenticateResult.NoResult();
    }

    /// <inheritdoc />
    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        if (HttpMethods.IsGet(Request.Method) && Request.Headers.Accept.ToString().Contains("text/html", StringComparison.OrdinalIgnoreCase))
        {
            // A person opened a protected page (the Orleans dashboard, a download link): sign in, then come back.
            var back = $"{Request.PathBase}{Request.Path}{Request.QueryString}";
            Response.Redirect($"{Request.PathBase}{DashboardSessions.SignInPagePath}/?return={Uri.EscapeDataString(back)}");
            return;
        }

        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = $"ApiKey header=\"{HeaderName}\"";
        await Response.WriteAsJsonAsync(
            new { title = "Unauthorized", status = 401, detail = $"send a valid API key in the {HeaderName} header" },
            Context.RequestAborted);
    }

    private AuthenticateResult Success(string keyId, string via)
    {
        var identity = new ClaimsIdentity(
            [new Claim(ClaimTypes.Name, $"key:{keyId}"), new Claim(KeyIdClaim, keyId), new Claim("mining:via", via)],
            SchemeName);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }
}
