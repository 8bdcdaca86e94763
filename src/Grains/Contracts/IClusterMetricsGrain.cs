namespace Mining.Grains.Contracts;

/// <summary>
/// The cluster's mining totals per silo (a single grain, key 0): every silo reports its executor's totals every
/// <c>MiningSiloOptions.MetricsReportInterval</c>, and the gateway exports them on <c>/metrics</c>.
/// </summary>
[Alias("Mining.IClusterMetricsGrain")]
public interface IClusterMetricsGrain : IGrainWithIntegerKey
{
    /// <summary>Records <paramref name="report"/> in place of the previous report of its silo.</summary>
    [Alias("Report")]
    Task Report(SiloMiningReport report);

    /// <summary>The latest report of every silo heard from recently, ordered by silo name.</summary>
    [Alias("Snapshot")]
    Task<IReadOnlyList<SiloMiningReport>> Snapshot();
}
