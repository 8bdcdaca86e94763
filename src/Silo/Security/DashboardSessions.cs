using System.Globalization;
using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http;

namespace Mining.Silo.Security;

/// <summary>
/// Mining page sign-ins: a person enters an API key once and gets an HttpOnly, SameSite=Strict cookie that holds
/// the key's id and an expiry, sealed with an in-memory data-protection key (never the key itself).
/// </summary>
/// <remarks>
/// The sealing key lives only in this process, so a restart signs everyone out, and a key removed from the
/// configuration ends its sessions at the restart that removes it.
/// </remarks>
public sealed class DashboardSessions(ApiKeyRing keys, TimeSpan lifetime, TimeProvider time)
{
    /// <summary>The page where people sign in (the Mining page), where a browser without a session is sent.</summary>
    public const string SignInPagePath = "/mining";

    /// <summary>The cookie's name.</summary>
    public const string CookieName = "mining-session";

    private readonly IDataProtector protector = new EphemeralDataProtectionProvider().CreateProtector("Mining.Dashboard.Session");

    /// <summary>Signs in the caller known by <paramref name="keyId"/>: sets the cookie on <paramref name="response"/>.</summary>
    public void SignIn(HttpResponse response, string keyId)
    {
        ArgumentNullException.ThrowIfNull(response);
        var expires = time.GetUtcNow() + lifetime;
        var sealedValue = protector.Protect($"{keyId}|{expires.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)}");
        response.Cookies.Append(CookieName, sealedValue, new CookieOptions
        {
            HttpOnly = true,
            SameSite = SameSiteMode.Strict,
            Secure = response.HttpContext.Request.IsHttps,
            Path = "/",
            MaxAge = lifetime,
            IsEssential = true,
        });
    }

    /// <summary>Ends the sign-in of the browser that sent <paramref name="response"/>'s request.</summary>
    public static void SignOut(HttpResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        response.Cookies.Delete(CookieName, new CookieOptions { Path = "/", SameSite = SameSiteMode.Strict, HttpOnly = true });
    }

    /// <summary>The key id a cookie value stands for, or null when it is forged, expired or its key is no longer configured.</summary>
    public string? Validate(string? cookie)
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

        var separator = payload.IndexOf('|', StringComparison.Ordinal);
        if (separator < 0 || !long.TryParse(payload.AsSpan(separator + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var expires))
        {
            return null;
        }

        var keyId = payload[..separator];
        return time.GetUtcNow().ToUnixTimeSeconds() < expires && keys.IsConfigured(keyId) ? keyId : null;
    }
}
