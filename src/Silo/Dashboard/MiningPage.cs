using System.Collections.Frozen;
using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Mining.Silo.Security;

namespace Mining.Silo.Dashboard;

/// <summary>
/// The Mining page: jobs, live per-shard progress, an images/s chart, failures and codebook versions with download
/// links. Its files (embedded in this assembly) are served without a key because they hold no data; the page asks
/// for a key once, signs in (<c>POST /mining/session</c> with <c>X-Api-Key</c>) and from then on reads the API with
/// the sign-in cookie.
/// </summary>
public static class MiningPage
{
    /// <summary>Where the page is served.</summary>
    public const string Path = DashboardSessions.SignInPagePath;

    private const string ResourcePrefix = "Mining.Silo.Dashboard.Page.";

    // Same-origin only, no inline code: a reason string that slipped into the markup could not run.
    private const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

    private static readonly FrozenDictionary<string, Asset> Assets = LoadAssets();

    /// <summary>Maps the page, its files and its sign-in at <see cref="Path"/>.</summary>
    public static RouteGroupBuilder MapMiningPage(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var page = endpoints.MapGroup(Path).ExcludeFromDescription();
        // Routing matches /mining and /mining/ alike; the page's relative links need the slash.
        page.MapGet("/", (HttpContext context) => context.Request.Path.Value?.EndsWith('/') == true
            ? Serve(context, "index.html")
            : Results.Redirect($"{context.Request.PathBase}{Path}/{context.Request.QueryString}"));
        page.MapGet("/{file}", (string file, HttpContext context) => Serve(context, file));
        page.MapPost("/session", SignIn).RequireAuthorization(MiningApiPolicy.Name);
        page.MapDelete("/session", async (HttpContext context, DashboardSessions sessions) =>
        {
            await sessions.SignOutAsync(context);
            return Results.NoContent();
        });
        return page;
    }

    /// <summary>Signs in the caller of a request that the key header authenticated (a cookie never reaches a POST).</summary>
    private static IResult SignIn(ClaimsPrincipal user, HttpContext context, DashboardSessions sessions)
    {
        var keyId = user.FindFirst(ApiKeyAuthenticationHandler.KeyIdClaim)?.Value;
        if (keyId is null)
        {
            return Results.Unauthorized();
        }

        sessions.SignIn(context.Response, keyId);
        return Results.NoContent();
    }

    private static IResult Serve(HttpContext context, string file)
    {
        if (!Assets.TryGetValue(file, out var asset))
        {
            return Results.NotFound();
        }

        var headers = context.Response.Headers;
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "no-referrer";
        headers.CacheControl = "no-cache";
        return Results.Bytes(asset.Content, asset.ContentType);
    }

    private static FrozenDictionary<string, Asset> LoadAssets()
    {
        var assembly = typeof(MiningPage).Assembly;
        var assets = new Dictionary<string, Asset>(StringComparer.Ordinal);
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var content = new MemoryStream();
            stream.CopyTo(content);
            var file = name[ResourcePrefix.Length..];
            assets[file] = new Asset(content.ToArray(), ContentType(file));
        }

        return assets.ToFrozenDictionary(StringComparer.Ordinal);
    }

    private static string ContentType(string file) => System.IO.Path.GetExtension(file) switch
    {
        ".html" => "text/html; charset=utf-8",
        ".js" => "text/javascript; charset=utf-8",
        ".css" => "text/css; charset=utf-8",
        ".svg" => "image/svg+xml",
        _ => "application/octet-stream",
    };

    private sealed record Asset(byte[] Content, string ContentType);
}
