using Mining.Kernels.Codebooks;
using Mining.Kernels.Experiments;
using Mining.Probe.Codebooks;

namespace Mining.Kernels.Pipeline;

/// <summary>
/// Turns per-image results into the next codebook version: pooled DPC-kNN and the context-independent condition
/// (<see cref="CodebookBuilder"/>) over the images, deduplication (<see cref="PrototypeDeduplicator"/>) of the previous
/// version's prototypes followed by the new ones, and what dedup changes for the probe (<see cref="DedupImpact"/>).
/// </summary>
/// <remarks>
/// The previous version's rows come first, so they survive (no two of them reach the dedup cosine) and new
/// near-copies merge into them, raising their Members. The new prototypes' cluster ids are shifted past the previous
/// version's largest, so <c>cluster_id</c> stays unique within the codebook; with no previous version the shift is 0.
/// </remarks>
public static class CodebookAssembler
{
    /// <summary>Probe threshold τ for the impact report: the reference's LLaVA-1.5 setting.</summary>
    public const double ImpactThreshold = 0.45;

    /// <summary>Probe keep ratio for the impact report: keep a quarter of the tokens (prune 75 %).</summary>
    public const double ImpactRatio = 0.25;

    /// <summary>
    /// Builds the version after <paramref name="previous"/> (null: the first) from the successful images of
    /// <paramref name="results"/> (failed ones are skipped), in their order, and measures dedup's impact on
    /// <paramref name="heldOutCount"/> held-out tokens (row-major <paramref name="heldOutCount"/>×hidden).
    /// <paramref name="variantsScored"/> is recorded in the statistics as given.
    /// </summary>
    public static CodebookAssembly Assemble(
        Codebook? previous,
        IReadOnlyList<ImageResult> results,
        float[] heldOutTokens,
        int heldOutCount,
        MiningParameters parameters,
        CodebookMetadata metadata,
        long variantsScored = 0)
    {
        ArgumentNullException.ThrowIfNull(results);
        ArgumentNullException.ThrowIfNull(heldOutTokens);
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(metadata);
        var hidden = metadata.HiddenSize;
        if (previous is not null && previous.Metadata.HiddenSize != hidden)
        {
            throw new ArgumentException($"the previous version holds {previous.Metadata.HiddenSize}-dimensional prototypes, the new one {hidden}-dimensional ones", nameof(previous));
        }

        var ok = results.Where(r => r.Status == ImageStatus.Ok).ToArray();
        var build = CodebookBuilder.Build(ok.Select(r => new ImageKeptTokens(r.ImageId, r.KeptEmbeddings, r.KeptCount)), parameters, hidden);
        var kept = previous?.Entries ?? [];
        var clusterShift = kept.Count == 0 ? 0 : kept.Max(e => e.ClusterId) + 1;
        var combined = kept.Concat(build.Prototypes.Select(p => p with { ClusterId = p.ClusterId + clusterShift })).ToArray();
        var dedup = PrototypeDeduplicator.Deduplicate(combined, parameters.DedupCosine);
        var impact = combined.Length > 0 && heldOutCount > 0
            ? DedupImpact.Measure(combined, dedup.Survivors, heldOutTokens, heldOutCount, hidden, ImpactThreshold, ImpactRatio)
            : null;
        var statistics = new MiningStatistics(
            ok.Sum(r => r.Candidates.Count),
            ok.Sum(r => r.Candidates.Count(c => c.Measurement.Redundant)),
            ok.Sum(r => r.KeptCount),
            build.KeptClusterCount,
            combined.Length,
            dedup.Survivors.Count,
            impact?.ThresholdChangedFraction ?? 0,
            impact?.RatioChangedFraction ?? 0,
            impact?.TokenCount ?? 0,
            variantsScored);
        return new CodebookAssembly(new Codebook(metadata, dedup.Survivors), statistics, dedup.Survivors.Count - kept.Count);
    }
}
