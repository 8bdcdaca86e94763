using Mining.Probe.Codebooks;

namespace Mining.Kernels.Pipeline;

/// <summary>A codebook version as <see cref="CodebookAssembler"/> built it, with what the images and the build found.</summary>
/// <param name="Codebook">The new version: the previous prototypes, then the new ones, deduplicated.</param>
/// <param name="Statistics">The images' counts, the clustering and what dedup changed.</param>
/// <param name="Added">Prototypes the version has beyond the previous one (all of them for a first version).</param>
public sealed record CodebookAssembly(Codebook Codebook, MiningStatistics Statistics, int Added);
