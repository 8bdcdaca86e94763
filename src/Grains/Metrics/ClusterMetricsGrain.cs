using Microsoft.Extensions.Options;
using Mining.Grains.Contracts;
using Mining.Grains.Hosting;

namespace Mining.Grains.Metrics;

/// <summary>
/// The cluster's mining totals per silo, in memory: the totals are per silo process lifetime and every silo reports
/// again every <see cref="MiningSiloOptions.MetricsReportInterval"/>, so a new activation (after a deactivation or the
/// loss of its silo) is complete again within one interval. Silos silent for
/// <see cref="MiningSiloOptions.MetricsSiloTimeout"/> are dropped.
/// </summary>
public sealed class ClusterMetricsGrain(IOptions<MiningSiloOptions> options, TimeProvider time) : Grain, IClusterMetricsGrain
{
    private readonly ClusterMiningReports reports = new(options.Value.MetricsSiloTimeout);

    /// <inheritdoc />
    public Task Report(SiloMiningReport report)
    {
        reports.Record(report, time.GetUtcNow());
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<SiloMiningReport>> Snapshot() => Task.FromResult(reports.Current(time.GetUtcNow()));
}
