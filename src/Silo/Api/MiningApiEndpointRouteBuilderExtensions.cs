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
    /// Needs <see cref="MiningApiServiceCollectionExtensions.AddMiningApi"/>.
    /// </summary>
    public static IEndpointRouteBuilder MapMiningApi(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var api = endpoints.MapGroup("").RequireAuthorization(MiningApiPolicy.Name).AddEndpointFilter<ClusterUnavailableFilter>();
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
