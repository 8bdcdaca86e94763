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
    ILogger<ClusterMetricsPoller> logger) : ILifecycleParticipant<ISiloLifecycle>
{
    private readonly CancellationTokenSource stopping = new();
    private Task loop = Task.CompletedTask;

    /// <inheritdoc />
    public void Participate(ISiloLifecycle lifecycle)
    {
        ArgumentNullException.ThrowIfNull(lifecycle);
        lifecycle.Subscribe(nameof(ClusterMetricsPoller), ServiceLifecycleStage.Active, Start, Stop);
    }

    private Task Start(CancellationToken cancellationToken)
    {
        loop = Task.Run(() => RunAsync(stopping.Token), CancellationToken.None);
        return Task.CompletedTask;
    }

    private async Task Stop(CancellationToken cancellationToken)
    {
        await stopping.CancelAsync();
        await loop.WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    private async Task RunAsync(CancellationToken cancellationToken)
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
