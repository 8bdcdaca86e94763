using Mining.Kernels.Pipeline;

namespace Mining.Grains.Contracts;

/// <summary>Converts <see cref="MiningStatistics"/> to and from its wire form, <see cref="MiningStatisticsSurrogate"/>.</summary>
[RegisterConverter]
public sealed class MiningStatisticsSurrogateConverter : IConverter<MiningStatistics, MiningStatisticsSurrogate>
{
    /// <inheritdoc />
    public MiningStatistics ConvertFromSurrogate(in MiningStatisticsSurrogate surrogate) => new(
        surrogate.Candidates,
        surrogate.Redundant,
        surrogate.Kept,
        surrogate.PrototypeClustersKept,
        surrogate.PrototypesBeforeDedup,
        surrogate.PrototypesAfterDedup,
        surrogate.DedupThresholdChangedFraction,
        surrogate.DedupRatioChangedFraction,
        surrogate.DedupImpactTokens,
        surrogate.VariantsScored);

    /// <inheritdoc />
    public MiningStatisticsSurrogate ConvertToSurrogate(in MiningStatistics value) => new()
    {
        Candidates = value.Candidates,
        Redundant = value.Redundant,
        Kept = value.Kept,
        PrototypeClustersKept = value.PrototypeClustersKept,
        PrototypesBeforeDedup = value.PrototypesBeforeDedup,
        PrototypesAfterDedup = value.PrototypesAfterDedup,
        DedupThresholdChangedFraction = value.DedupThresholdChangedFraction,
        DedupRatioChangedFraction = value.DedupRatioChangedFraction,
        DedupImpactTokens = value.DedupImpactTokens,
        VariantsScored = value.VariantsScored,
    };
}
