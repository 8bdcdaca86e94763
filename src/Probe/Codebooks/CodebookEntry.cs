namespace Mining.Probe.Codebooks;

/// <summary>One prototype of a codebook: a row of the Parquet file (ARCHITECTURE §3).</summary>
/// <param name="PrototypeId">Stable id within the codebook version.</param>
/// <param name="Embedding">The prototype in the LLM input space (length = hidden size).</param>
/// <param name="SourceImageId">Image it was mined from.</param>
/// <param name="ClusterId">Global cluster it came from.</param>
/// <param name="ClusterUniqueImages">Distinct images in that cluster.</param>
/// <param name="Members">Prototypes merged into this one by dedup (1 = none).</param>
public sealed record CodebookEntry(int PrototypeId, float[] Embedding, string SourceImageId, int ClusterId, int ClusterUniqueImages, int Members);
