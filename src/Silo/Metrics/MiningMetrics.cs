using System.Diagnostics.Metrics;
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

    /// <summary>
    /// Adds OpenTelemetry metrics for this host's Mining meter (images processed/failed, variants, batch size, queue
    /// depth, forward latency, codebook builds), the <c>mining.cluster.*</c> series of every silo's totals
    /// (<see cref="ClusterMiningSeries"/>, read from the cluster metrics grain by <see cref="ClusterMetricsPoller"/>;
    /// the host must be a silo) and the Prometheus exporter.
    /// </summary>
    /// <remarks>
    /// OpenTelemetry subscribes to meters by name across the whole process. Each host's executor creates its Mining
    /// meter from the host's <see cref="IMeterFactory"/>, so a process with several hosts (the tests, a CLI that
    /// starts silos) holds several meters of that name with identical instruments; the SDK merges identical
    /// instruments into one metric stream and deactivates the stream when any of those meters is disposed, which
    /// emptied the gateway's <c>/metrics</c> once another host stopped. Only meters of this host's factory are exported.
    /// </remarks>
    public static IServiceCollection AddMiningMetrics(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddMeter(MiningInstruments.MeterName)
            // Each scrape collects afresh: one Prometheus scrapes every few seconds, and a cached answer would show a
            // person's curl stale values.
            .AddPrometheusExporter(prometheus => prometheus.ScrapeResponseCacheDurationMilliseconds = 0));
        services.AddSingleton<ClusterMiningSeries>();
        services.AddSingleton<ClusterMetricsPoller>();
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(provider => provider.GetRequiredService<ClusterMetricsPoller>());
        services.ConfigureOpenTelemetryMeterProvider((provider, metrics) =>
        {
            var ownMeters = provider.GetRequiredService<IMeterFactory>();
            metrics.AddView(instrument => ReferenceEquals(instrument.Meter.Scope, ownMeters) ? null : MetricStreamConfiguration.Drop);
        });
        return services;
    }

    /// <summary>Maps the scrape endpoint at <see cref="ScrapePath"/>.</summary>
    public static IEndpointConventionBuilder MapMiningMetrics(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapPrometheusScrapingEndpoint(ScrapePath);
}
