using Mining.Grains.Contracts;
using Mining.Kernels.Codebooks;
using Mining.Kernels.Experiments;
using Mining.Kernels.Pipeline;
using Mining.Probe.Codebooks;

namespace Mining.Grains.Codebooks;

/// <summary>
/// Builds codebook version N+1 from version N and one job's per-image results with the same steps as
/// <see cref="CodebookAssembler"/>: pooled DPC-kNN and the context-independent condition
/// (<see cref="CodebookBuilder"/>) over the job's images, then deduplication (<see cref="PrototypeDeduplicator"/>)
/// of the previous prototypes followed by the new ones, and the dedup impact on held-out tokens
/// (<see cref="DedupImpact"/>). With no previous version this is exactly what <see cref="MiningRun"/> writes.
/// </summary>
/// <remarks>
/// The previous version's rows come first, so they survive (no two of them reach the dedup cosine) and new
/// near-copies merge into them, raising their Members. The new prototypes' cluster ids are shifted past the previous
/// version's largest, so <c>cluster_id</c> stays unique within the codebook; for version 1 the shift is 0.
/// </remarks>
public static class CodebookVersionBuilder
{
    /// <summary>
    /// Builds the next version. <paramref name="results"/> are the job's images in dataset order (failed ones are
    /// skipped); <paramref name="heldOutTokens"/> (row-major <paramref name="heldOutCount"/>×hidden) are the candidates
    /// of the job's first successful images, as <see cref="MiningRun"/> holds them out.
    /// </summary>
    public static CodebookVersionBuild Build(
        Codebook? previous,
        IReadOnlyList<ImageResult> results,
        float[] heldOutTokens,
        int heldOutCount,
        MiningParameters parameters,
        CodebookMetadata metadata)
    {
        ArgumentNullException.ThrowIfNull(results);
        ArgumentNullException.ThrowIfNull(heldOutTokens);
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(metadata);
        var hidden = metadata.HiddenSize;
        if (previous is not null && previous.Metadata.HiddenSize != hidden)
        {
            throw new ArgumentException($"the previous version holds {previous.Metadata.HiddenSize}-dimensional prototypes, the job {hidden}-dimensional ones", nameof(previous));
        }

        var ok = results.Where(r => r.Status == ImageStatus.Ok).ToArray();
        var build = CodebookBuilder.Build(ok.Select(r => new ImageKeptTokens(r.ImageId, r.KeptEmbeddings, r.KeptCount)), parameters, hidden);
        var kept = previous?.Entries ?? [];
        var clusterShift = kept.Count == 0 ? 0 : kept.Max(e => e.ClusterId) + 1;
        var combined = kept.Concat(build.Prototypes.Select(p => p with { ClusterId = p.ClusterId + clusterShift })).ToArray();
        var dedup = PrototypeDeduplicator.Deduplicate(combined, parameters.DedupCosine);
        var impact = combined.Length > 0 && heldOutCount > 0
            ? DedupImpact.Measure(combined, dedup.Survivors, heldOutTokens, heldOutCount, hidden, CodebookAssembler.ImpactThreshold, CodebookAssembler.ImpactRatio)
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
            VariantsScored: 0);
        return new CodebookVersionBuild(new Codebook(metadata, dedup.Survivors), statistics, dedup.Survivors.Count - kept.Count);
    }
}
