using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Mining.Grains.Contracts;
using Mining.Grains.Hosting;

namespace Mining.Grains.Execution;

/// <summary>
/// Reports this silo's <see cref="InferenceExecutor"/> totals to the <see cref="IClusterMetricsGrain"/> every
/// <see cref="MiningSiloOptions.MetricsReportInterval"/> while the silo is active, so that the gateway's
/// <c>/metrics</c> shows what workers in other processes mine.
/// </summary>
/// <remarks>
/// A report that fails (the grain's silo just died, the cluster is starting) is dropped: the next one carries the
/// same totals, so nothing is lost but freshness.
/// </remarks>
public sealed class SiloMiningReporter(
    InferenceExecutor executor,
    IGrainFactory grains,
    ILocalSiloDetails silo,
    IOptions<MiningSiloOptions> options,
    TimeProvider time,
    ILogger<SiloMiningReporter> logger) : SiloActiveLoop
{
    /// <summary>This silo's report now.</summary>
    public SiloMiningReport Report()
    {
        var metrics = executor.Metrics;
        return new SiloMiningReport(
            silo.Name,
            metrics.ImagesProcessed,
            metrics.ImagesFailed,
            metrics.VariantsScored,
            metrics.Faults,
            metrics.ForwardCalls,
            metrics.ForwardSeconds,
            metrics.QueueDepth,
            metrics.CpuQueueDepth,
            executor.Instruments.CodebookBuilds);
    }

    /// <inheritdoc />
    protected override async Task RunAsync(CancellationToken cancellationToken)
    {
        var interval = options.Value.MetricsReportInterval;
        using var timer = new PeriodicTimer(interval, time);
        var failing = false;
        try
        {
            do
            {
                try
                {
                    await grains.GetGrain<IClusterMetricsGrain>(0).Report(Report()).WaitAsync(cancellationToken);
                    failing = false;
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // Once per run of failures: a cluster that has lost the grain's silo fails every few seconds until membership notices.
                    if (!failing)
                    {
                        logger.LogWarning(e, "Could not report this silo's mining totals to the cluster metrics; retrying every {Interval}", interval);
                    }

                    failing = true;
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
