using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Mining.Silo.Api;

/// <summary><c>GET /healthz</c>: whether the gateway can reach the cluster (no key needed; it tells nothing about jobs).</summary>
public static class HealthEndpoints
{
    /// <summary>The path of the health endpoint.</summary>
    public const string Path = "/healthz";

    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(5);

    /// <summary>Maps <see cref="Path"/> on <paramref name="endpoints"/>.</summary>
    public static RouteHandlerBuilder MapHealthEndpoint(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapGet(Path, CheckAsync).WithTags("Health").WithSummary("200 when the cluster answers, 503 otherwise").AllowAnonymous();

    private static async Task<Results<Ok<HealthView>, JsonHttpResult<HealthView>>> CheckAsync(IGrainFactory grains, CancellationToken cancellationToken)
    {
        try
        {
            var hosts = await grains.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true).WaitAsync(Patience, cancellationToken);
            return TypedResults.Ok(new HealthView("healthy", hosts.Count, null));
        }
        catch (Exception e) when (e is TimeoutException or OrleansException)
        {
            return TypedResults.Json(new HealthView("unhealthy", 0, e.Message), statusCode: StatusCodes.Status503ServiceUnavailable);
        }
    }
}
