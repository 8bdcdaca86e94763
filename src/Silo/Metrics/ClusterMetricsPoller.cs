using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Mining.Grains.Contracts;
using Mining.Grains.Hosting;

namespace Mining.Silo.Metrics;

/// <summary>
/// Reads the <see cref="IClusterMetricsGrain"/>'s reports into <see cref="ClusterMiningSeries"/> every
/// <see cref="MiningSiloOptions.MetricsReportInterval"/> while this silo is active, in the background: a scrape reads
/// the cache and never waits on a grain call. When the grain stays unreachable for
/// <see cref="MiningSiloOptions.MetricsSiloTimeout"/> the series are emptied rather than left frozen.
/// </summary>
public sealed class ClusterMetricsPoller(
    ClusterMiningSeries series,
    IGrainFactory grains,
    IOptions<MiningSiloOptions> options,
    TimeProvider time,
    ILogger<ClusterMetricsPoller> logger) : SiloActiveLoop
{
    /// <inheritdoc />
    protected override async Task RunAsync(CancellationToken cancellationToken)
    {
        var interval = options.Value.MetricsReportInterval;
        var timeout = options.Value.MetricsSiloTimeout;
        using var timer = new PeriodicTimer(interval, time);
        var lastRead = time.GetUtcNow();
        var failing = false;
        try
        {
            do
            {
                try
                {
                    series.Show(await grains.GetGrain<IClusterMetricsGrain>(0).Snapshot().WaitAsync(timeout, time, cancellationToken));
                    lastRead = time.GetUtcNow();
                    failing = false;
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    if (!failing)
                    {
                        logger.LogWarning(e, "Could not read the cluster's mining totals; retrying every {Interval}", interval);
                    }

                    failing = true;
                    if (time.GetUtcNow() - lastRead > timeout)
                    {
                        series.Show([]);
                    }
                }
            }
            while (await timer.WaitForNextTickAsync(cancellationToken));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The silo is stopping.
        }
    }
}
