using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Mining.Grains.Execution;
using OpenTelemetry.Metrics;

namespace Mining.Silo.Metrics;

/// <summary>Exports the <see cref="MiningInstruments.MeterName"/> meter through OpenTelemetry with a Prometheus scrape endpoint.</summary>
public static class MiningMetrics
{
    /// <summary>Where Prometheus scrapes, on the API's port.</summary>
    public const string ScrapePath = "/metrics";

    /// <summary>Adds OpenTelemetry metrics for the Mining meter (images processed/failed, variants, batch size, queue depth, forward latency, codebook builds) and the Prometheus exporter.</summary>
    public static IServiceCollection AddMiningMetrics(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddMeter(MiningInstruments.MeterName)
            .AddPrometheusExporter());
        return services;
    }

    /// <summary>Maps the scrape endpoint at <see cref="ScrapePath"/>.</summary>
    public static IEndpointConventionBuilder MapMiningMetrics(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapPrometheusScrapingEndpoint(ScrapePath);
}
