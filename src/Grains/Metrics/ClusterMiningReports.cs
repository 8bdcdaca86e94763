using Mining.Grains.Contracts;

namespace Mining.Grains.Metrics;

/// <summary>
/// The latest <see cref="SiloMiningReport"/> of each silo: a silo's report replaces its previous one (the totals are
/// the silo's since it started, so a restarted silo starts again from 0, which Prometheus reads as a counter reset),
/// and a silo not heard from for <see cref="Silence"/> (stopped, killed, cut off) is dropped.
/// </summary>
public sealed class ClusterMiningReports
{
    private readonly Dictionary<string, (SiloMiningReport Report, DateTimeOffset At)> reports = new(StringComparer.Ordinal);

    /// <summary>Creates an empty book that drops silos silent for longer than <paramref name="silence"/>.</summary>
    public ClusterMiningReports(TimeSpan silence)
    {
        if (silence <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(silence), silence, "the silence after which a silo is dropped must be positive");
        }

        Silence = silence;
    }

    /// <summary>How long a silo may stay silent before its report is dropped.</summary>
    public TimeSpan Silence { get; }

    /// <summary>Records <paramref name="report"/>, received at <paramref name="at"/>, in place of its silo's previous report.</summary>
    public void Record(SiloMiningReport report, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(report);
        if (string.IsNullOrWhiteSpace(report.Silo))
        {
            throw new ArgumentException("a mining report must name its silo", nameof(report));
        }

        if (report.ImagesProcessed < 0 || report.ImagesFailed < 0 || report.VariantsScored < 0 || report.Faults < 0
            || report.ForwardCalls < 0 || !(report.ForwardSeconds >= 0) || report.QueueDepth < 0 || report.CpuQueueDepth < 0 || report.CodebookBuilds < 0)
        {
            throw new ArgumentException($"the mining report of silo '{report.Silo}' has a negative total: {report}", nameof(report));
        }

        reports[report.Silo] = (report, at);
    }

    /// <summary>The reports of silos heard from within <see cref="Silence"/> before <paramref name="now"/>, by silo name; silent silos are dropped.</summary>
    public IReadOnlyList<SiloMiningReport> Current(DateTimeOffset now)
    {
        foreach (var silent in reports.Where(entry => now - entry.Value.At > Silence).Select(entry => entry.Key).ToArray())
        {
            reports.Remove(silent);
        }

        return reports.Values.Select(entry => entry.Report).OrderBy(report => report.Silo, StringComparer.Ordinal).ToArray();
    }
}
