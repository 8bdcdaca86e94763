using System.Diagnostics.Metrics;
using Mining.Grains.Contracts;
using Mining.Grains.Execution;

namespace Mining.Silo.Metrics;

/// <summary>
/// The <c>mining.cluster.*</c> instruments of this host's <see cref="MiningInstruments.MeterName"/> meter: every
/// silo's executor totals as last read from the cluster metrics grain, one series per silo (label <c>silo</c>).
/// Observing them reads only the cached reports, so a scrape never waits on the cluster.
/// </summary>
public sealed class ClusterMiningSeries
{
    /// <summary>The label that names the reporting silo.</summary>
    public const string SiloLabel = "silo";

    private IReadOnlyList<SiloMiningReport> reports = [];

    /// <summary>Creates the instruments on the meter of <paramref name="meterFactory"/> named <see cref="MiningInstruments.MeterName"/>.</summary>
    public ClusterMiningSeries(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(MiningInstruments.MeterName);
        meter.CreateObservableCounter("mining.cluster.images.processed", () => Observe(r => r.ImagesProcessed), "{image}", "Images each silo mined to a result since it started, failed images included");
        meter.CreateObservableCounter("mining.cluster.images.failed", () => Observe(r => r.ImagesFailed), "{image}", "Images each silo mined to a failure (unreadable or undecodable) since it started");
        meter.CreateObservableCounter("mining.cluster.variants.scored", () => Observe(r => r.VariantsScored), "{variant}", "Variants each silo's model scored since it started");
        meter.CreateObservableCounter("mining.cluster.executor.faults", () => Observe(r => r.Faults), "{attempt}", "Mining attempts that threw on each silo since it started");
        meter.CreateObservableCounter("mining.cluster.forward.calls", () => Observe(r => r.ForwardCalls), "{call}", "Forward calls each silo's model made since it started");
        meter.CreateObservableCounter("mining.cluster.forward.seconds", () => Observe(r => r.ForwardSeconds), "s", "Device time of each silo's mined images since it started; over forward calls, the mean forward latency");
        meter.CreateObservableCounter("mining.cluster.codebook.builds", () => Observe(r => r.CodebookBuilds), "{version}", "Codebook versions built on each silo since it started");
        meter.CreateObservableGauge("mining.cluster.executor.queue_depth", () => Observe(r => r.QueueDepth), "{image}", "Images waiting for each silo's device, as last reported");
        meter.CreateObservableGauge("mining.cluster.executor.cpu_queue_depth", () => Observe(r => r.CpuQueueDepth), "{item}", "CPU work items waiting on each silo, as last reported");
    }

    /// <summary>The reports the series show now.</summary>
    public IReadOnlyList<SiloMiningReport> Reports => Volatile.Read(ref reports);

    /// <summary>Shows <paramref name="current"/> from the next collection on; silos missing from it leave the series.</summary>
    public void Show(IReadOnlyList<SiloMiningReport> current)
    {
        ArgumentNullException.ThrowIfNull(current);
        Volatile.Write(ref reports, current);
    }

    private IEnumerable<Measurement<T>> Observe<T>(Func<SiloMiningReport, T> value)
        where T : struct =>
        Reports.Select(report => new Measurement<T>(value(report), new KeyValuePair<string, object?>(SiloLabel, report.Silo))).ToArray();
}
