namespace Mining.Grains.Contracts;

/// <summary>What a completed job found, as the single-process summary reports it.</summary>
[GenerateSerializer]
[Alias("Mining.MiningStatistics")]
public sealed record MiningStatistics(
    [property: Id(0)] int Candidates,
    [property: Id(1)] int Redundant,
    [property: Id(2)] int Kept,
    [property: Id(3)] int PrototypeClustersKept,
    [property: Id(4)] int PrototypesBeforeDedup,
    [property: Id(5)] int PrototypesAfterDedup,
    [property: Id(6)] double DedupThresholdChangedFraction,
    [property: Id(7)] double DedupRatioChangedFraction,
    [property: Id(8)] int DedupImpactTokens,
    [property: Id(9)] long VariantsScored);
