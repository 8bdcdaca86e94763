using Mining.Kernels.Codebooks;
using Mining.Probe.Codebooks;

namespace Mining.Kernels.Pipeline;

/// <summary>A codebook and how it was made: the pooled clustering, the deduplication and what dedup changes for the probe.</summary>
/// <param name="Codebook">The deduplicated codebook.</param>
/// <param name="Build">Pooled clustering and the context-independent condition.</param>
/// <param name="Dedup">Merges made by deduplication.</param>
/// <param name="Impact">Probe keep-decisions changed by dedup on held-out candidate tokens; null when there was nothing to probe.</param>
public sealed record CodebookAssembly(Codebook Codebook, CodebookBuildResult Build, DeduplicationResult Dedup, DedupImpactResult? Impact);
