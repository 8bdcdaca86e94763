namespace Mining.Kernels.Codebooks;

/// <summary>One cluster of the pooled DPC-kNN and whether the context-independent condition kept it.</summary>
/// <param name="ClusterId">Cluster number (0 = the highest DPC-kNN score).</param>
/// <param name="CentreIndex">The centre's index among the pooled tokens.</param>
/// <param name="Members">Pooled tokens in the cluster.</param>
/// <param name="UniqueImages">Distinct images those tokens come from.</param>
/// <param name="Kept">Whether UniqueImages exceeds min_unique_images, making every member a prototype.</param>
public sealed record PrototypeCluster(int ClusterId, int CentreIndex, int Members, int UniqueImages, bool Kept);
