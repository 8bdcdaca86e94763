using System.Globalization;
using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http;

namespace Mining.Silo.Security;

/// <summary>
/// Mining page sign-ins: a person enters an API key once and gets an HttpOnly, SameSite=Strict cookie that holds
/// a random session id, the key's id and an expiry, sealed with an in-memory data-protection key (never the key itself).
/// Signing out lists the session id in the cluster's <see cref="ISignedOutSessionsGrain"/>, so the cookie is refused
/// from then on even where a copy of it is kept.
/// </summary>
/// <remarks>
/// The sealing key lives only in this process, so a restart signs everyone out, and a key removed from the
/// configuration ends its sessions at the restart that removes it. The cookie is <c>Secure</c> whenever the sign-in
/// request is https as the gateway sees it (behind a TLS-terminating proxy: <c>Mining:Api:TrustedProxies</c>).
/// </remarks>
public sealed class DashboardSessions(ApiKeyRing keys, TimeSpan lifetime, TimeProvider time, IGrainFactory grains)
{
    /// <summary>The page where people sign in (the Mining page), where a browser without a session is sent.</summary>
    public const string SignInPagePath = "/mining";

    /// <summary>The cookie's name.</summary>
    public const string CookieName = "mining-session";

    private readonly IDataProtector protector = new EphemeralDataProtectionProvider().CreateProtector("Mining.Dashboard.Session");

    private ISignedOutSessionsGrain SignedOut => grains.GetGrain<ISignedOutSessionsGrain>(0);

    /// <summary>Signs in the caller known by <paramref name="keyId"/>: sets the cookie of a new session on <paramref name="response"/>.</summary>
    public void SignIn(HttpResponse response, string keyId)
    {
        ArgumentNullException.ThrowIfNull(response);
        var sessionId = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var expires = time.GetUtcNow() + lifetime;
        var sealedValue = protector.Protect($"{sessionId}|{keyId}|{expires.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)}");
        response.Cookies.Append(CookieName, sealedValue, CookieOptions(response.HttpContext.Request, lifetime));
    }

    /// <summary>
    /// Ends the sign-in of the browser that sent <paramref name="context"/>'s request: its session is listed as signed
    /// out for every gateway until it would have expired, and the browser is told to drop the cookie.
    /// </summary>
    public async Task SignOutAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Request.Cookies.TryGetValue(CookieName, out var cookie) && Unseal(cookie) is { } session)
        {
            await SignedOut.SignOut(session.Id, session.Expires);
        }

        context.Response.Cookies.Delete(CookieName, CookieOptions(context.Request, maxAge: null));
    }

    /// <summary>
    /// The key id a cookie value stands for, or null when it is forged, expired, signed out or its key is no longer
    /// configured.
    /// </summary>
    public async Task<string?> ValidateAsync(string? cookie)
    {
        if (Unseal(cookie) is not { } session || !keys.IsConfigured(session.KeyId))
        {
            return null;
        }

        return await SignedOut.IsSignedOut(session.Id) ? null : session.KeyId;
    }

    /// <summary>The unexpired session a cookie value seals, or null when it is forged, malformed or expired.</summary>
    private Session? Unseal(string? cookie)
    {
        if (string.IsNullOrEmpty(cookie))
        {
            return null;
        }

        string payload;
        try
        {
            payload = protector.Unprotect(cookie);
        }
        catch (CryptographicException)
        {
            return null;
        }

        if (payload.Split('|') is not [{ Length: > 0 } id, { Length: > 0 } keyId, var seconds]
            || !long.TryParse(seconds, NumberStyles.None, CultureInfo.InvariantCulture, out var unixSeconds))
        {
            return null;
        }

        var expires = DateTimeOffset.FromUnixTimeSeconds(unixSeconds);
        return time.GetUtcNow() < expires ? new Session(id, keyId, expires) : null;
    }

    private static CookieOptions CookieOptions(HttpRequest request, TimeSpan? maxAge) => new()
    {
        HttpOnly = true,
        SameSite = SameSiteMode.Strict,
        Secure = request.IsHttps,
        Path = "/",
        MaxAge = maxAge,
        IsEssential = true,
    };

    private sealed record Session(string Id, string KeyId, DateTimeOffset Expires);
}
