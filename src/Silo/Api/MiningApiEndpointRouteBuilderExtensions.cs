using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Mining.Silo.Dashboard;
using Mining.Silo.Metrics;
using Mining.Silo.Security;

namespace Mining.Silo.Api;

/// <summary>Maps the gateway's HTTP API, its dashboards and its metrics.</summary>
public static class MiningApiEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Maps, behind an API key (header <c>X-Api-Key</c>, or for reads a Mining page sign-in): <c>/jobs</c>,
    /// <c>/codebooks</c>, the Prometheus scrape endpoint <c>/metrics</c> and the Orleans dashboard at
    /// <c>/dashboard</c> (when the silo added it with <c>AddMiningDashboard</c>); without a key: <c>/healthz</c>,
    /// the OpenAPI document <c>/openapi/v1.json</c> and the Mining page's files at <c>/mining/</c> (which hold no data).
    /// <c>/jobs</c> and <c>/codebooks</c> are rate limited per key (<see cref="ApiKeyRateLimit"/>); the dashboards,
    /// <c>/metrics</c> and what needs no key are not. Needs <see cref="MiningApiServiceCollectionExtensions.AddMiningApi"/>,
    /// and <paramref name="endpoints"/> must be the web application, whose pipeline this adds the rate limiter to.
    /// </summary>
    /// <exception cref="InvalidOperationException"><paramref name="endpoints"/> is not an application pipeline.</exception>
    public static IEndpointRouteBuilder MapMiningApi(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);

        // The web application adds authentication and authorization ahead of what a host adds, so the limiter sees
        // the caller's key and a request without one is 401 before it. A limit that silently did not run would be
        // worse than a host that does not start.
        var pipeline = endpoints as IApplicationBuilder
            ?? throw new InvalidOperationException("MapMiningApi must be called on the web application: it adds the per-key rate limiter to its pipeline");
        pipeline.UseRateLimiter();
        var api = endpoints.MapGroup("")
            .RequireAuthorization(MiningApiPolicy.Name)
            .RequireRateLimiting(ApiKeyRateLimit.PolicyName)
            .AddEndpointFilter<ClusterUnavailableFilter>();
        api.MapJobEndpoints();
        api.MapCodebookEndpoints();
        endpoints.MapHealthEndpoint();
        endpoints.MapOpenApi("/openapi/{documentName}.json");
        endpoints.MapMiningPage();
        endpoints.MapOrleansDashboardBehindKey();
        endpoints.MapMiningMetrics().RequireAuthorization(MiningApiPolicy.Name);
        return endpoints;
    }
}
