using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Mining.Silo.Security;

namespace Mining.Silo.Api;

/// <summary>
/// The per-key request rate of the API (ASP.NET Core's rate limiter): a fixed window of
/// <see cref="MiningApiLimits.RequestsPerWindow"/> requests per <see cref="MiningApiLimits.RequestWindow"/> for each
/// API key, known by the id the authentication handler put in <see cref="ApiKeyAuthenticationHandler.KeyIdClaim"/>.
/// A request over the limit is 429 with <c>Retry-After</c> and a problem body naming the settings.
/// </summary>
/// <remarks>
/// Partitioned by key, not by client address: callers share addresses behind proxies, and the keys are few and
/// configured, so the partitions are bounded. The limiter runs after authorization (the web application adds
/// authentication and authorization ahead of the middleware a host adds), so a request without a valid key is 401
/// and never spends a key's permits.
/// </remarks>
public static class ApiKeyRateLimit
{
    /// <summary>The rate limiter policy's name, required by the API's endpoints.</summary>
    public const string PolicyName = "mining-api-key";

    /// <summary>Adds the policy and the rejection answer to the rate limiter's options.</summary>
    public static void Configure(RateLimiterOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
        options.OnRejected = RejectAsync;
        options.AddPolicy(PolicyName, Partition);
    }

    private static RateLimitPartition<string> Partition(HttpContext context)
    {
        // The policy is only on endpoints that require a key, so an anonymous caller never gets here; were one to,
        // it would not share a partition with anyone.
        if (context.User.FindFirst(ApiKeyAuthenticationHandler.KeyIdClaim)?.Value is not { Length: > 0 } keyId)
        {
            return RateLimitPartition.GetNoLimiter("");
        }

        var limits = Limits(context);
        return RateLimitPartition.GetFixedWindowLimiter(keyId, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = limits.RequestsPerWindow,
            Window = limits.RequestWindow,
            QueueLimit = 0,
            AutoReplenishment = true,
        });
    }

    private static async ValueTask RejectAsync(OnRejectedContext rejected, CancellationToken cancellationToken)
    {
        var http = rejected.HttpContext;
        var limits = Limits(http);
        var wait = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : limits.RequestWindow;
        var seconds = Math.Max(1, (long)Math.Ceiling(wait.TotalSeconds));
        http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        var setting = $"{MiningApiOptions.SectionName}:{MiningApiLimits.SectionName}";
        await TypedResults.Problem(
            statusCode: StatusCodes.Status429TooManyRequests,
            title: "Too many requests",
            detail: $"key: more than {limits.RequestsPerWindow} requests in {limits.RequestWindow} ({setting}:{nameof(MiningApiLimits.RequestsPerWindow)}, " +
                $"{nameof(MiningApiLimits.RequestWindow)}); retry after {seconds} s").ExecuteAsync(http);
    }

    private static MiningApiLimits Limits(HttpContext context) =>
        context.RequestServices.GetRequiredService<IOptions<MiningApiOptions>>().Value.Limits;
}
