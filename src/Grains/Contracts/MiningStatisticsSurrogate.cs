using Mining.Kernels.Pipeline;

namespace Mining.Grains.Contracts;

/// <summary>
/// How <see cref="MiningStatistics"/> (a Kernels type, which never mentions Orleans) crosses the wire and is
/// persisted in grain state; the ids and alias are those the statistics had as a contract record.
/// </summary>
[GenerateSerializer]
[Alias("Mining.MiningStatistics")]
public struct MiningStatisticsSurrogate
{
    [Id(0)] public int Candidates;
    [Id(1)] public int Redundant;
    [Id(2)] public int Kept;
    [Id(3)] public int PrototypeClustersKept;
    [Id(4)] public int PrototypesBeforeDedup;
    [Id(5)] public int PrototypesAfterDedup;
    [Id(6)] public double DedupThresholdChangedFraction;
    [Id(7)] public double DedupRatioChangedFraction;
    [Id(8)] public int DedupImpactTokens;
    [Id(9)] public long VariantsScored;
}
