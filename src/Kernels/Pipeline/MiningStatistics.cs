namespace Mining.Kernels.Pipeline;

/// <summary>What mining a set of images found and what the codebook build made of it.</summary>
/// <param name="Candidates">Candidate tokens evaluated over the successful images.</param>
/// <param name="Redundant">Candidates that met both redundancy thresholds.</param>
/// <param name="Kept">Redundant tokens the per-image filter kept.</param>
/// <param name="PrototypeClustersKept">Pooled clusters that passed the context-independent condition.</param>
/// <param name="PrototypesBeforeDedup">Prototypes deduplication was given: the previous version's, then the new ones.</param>
/// <param name="PrototypesAfterDedup">Prototypes in the new version.</param>
/// <param name="DedupThresholdChangedFraction">Share of threshold-mode keep decisions dedup changes on the held-out tokens.</param>
/// <param name="DedupRatioChangedFraction">Share of ratio-mode keep decisions dedup changes on the held-out tokens.</param>
/// <param name="DedupImpactTokens">Held-out tokens the impact was measured on (0: not measured).</param>
/// <param name="VariantsScored">Forward variants the mining scored.</param>
public sealed record MiningStatistics(
    int Candidates,
    int Redundant,
    int Kept,
    int PrototypeClustersKept,
    int PrototypesBeforeDedup,
    int PrototypesAfterDedup,
    double DedupThresholdChangedFraction,
    double DedupRatioChangedFraction,
    int DedupImpactTokens,
    long VariantsScored);
