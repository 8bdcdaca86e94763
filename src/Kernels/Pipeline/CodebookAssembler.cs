using Mining.Kernels.Codebooks;
using Mining.Kernels.Experiments;
using Mining.Probe.Codebooks;

namespace Mining.Kernels.Pipeline;

/// <summary>
/// Turns per-image results into a codebook: pooled DPC-kNN and the context-independent condition
/// (<see cref="CodebookBuilder"/>), then deduplication (<see cref="PrototypeDeduplicator"/>), and measures
/// what dedup changes for the probe (<see cref="DedupImpact"/>).
/// </summary>
public static class CodebookAssembler
{
    /// <summary>Probe threshold τ for the impact report: the reference's LLaVA-1.5 setting.</summary>
    public const double ImpactThreshold = 0.45;

    /// <summary>Probe keep ratio for the impact report: keep a quarter of the tokens (prune 75 %).</summary>
    public const double ImpactRatio = 0.25;

    /// <summary>
    /// Builds the codebook from the successful images of <paramref name="results"/> (failed ones are skipped),
    /// in their order, and measures dedup's impact on <paramref name="heldOutCount"/> held-out tokens.
    /// </summary>
    public static CodebookAssembly Assemble(IReadOnlyList<ImageResult> results, MiningParameters parameters, CodebookMetadata metadata, float[] heldOutTokens, int heldOutCount)
    {
        ArgumentNullException.ThrowIfNull(results);
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(metadata);
        var hidden = metadata.HiddenSize;
        var images = results
            .Where(r => r.Status == ImageStatus.Ok)
            .Select(r => new ImageKeptTokens(r.ImageId, r.KeptEmbeddings, r.KeptCount))
            .ToArray();
        var build = CodebookBuilder.Build(images, parameters, hidden);
        var dedup = PrototypeDeduplicator.Deduplicate(build.Prototypes, parameters.DedupCosine);
        var impact = build.Prototypes.Count > 0 && heldOutCount > 0
            ? DedupImpact.Measure(build.Prototypes, dedup.Survivors, heldOutTokens, heldOutCount, hidden, ImpactThreshold, ImpactRatio)
            : null;
        return new CodebookAssembly(new Codebook(metadata, dedup.Survivors), build, dedup, impact);
    }
}
