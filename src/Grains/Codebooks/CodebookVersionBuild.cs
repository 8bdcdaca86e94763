using Mining.Grains.Contracts;
using Mining.Probe.Codebooks;

namespace Mining.Grains.Codebooks;

/// <summary>A codebook version as built from the previous one and a job's results, with what the job found.</summary>
/// <param name="Codebook">The new version: the previous prototypes, then the job's new ones, deduplicated.</param>
/// <param name="Statistics">The job's counts, its clustering and what dedup changed (VariantsScored is the job's to fill).</param>
/// <param name="Added">Prototypes the version has beyond the previous one.</param>
public sealed record CodebookVersionBuild(Codebook Codebook, MiningStatistics Statistics, int Added);
