using Mining.Probe.Codebooks;

namespace Mining.Kernels.Codebooks;

/// <summary>The prototypes the context-independent condition produced, and the clustering behind them.</summary>
/// <param name="Prototypes">Prototype rows, PrototypeId 0.. in order of cluster, then pooled order; Members = 1.</param>
/// <param name="ImageCount">Images given (including those with no kept token).</param>
/// <param name="PooledCount">Kept tokens pooled over all images.</param>
/// <param name="Clusters">Every pooled cluster, by ClusterId.</param>
public sealed record CodebookBuildResult(IReadOnlyList<CodebookEntry> Prototypes, int ImageCount, int PooledCount, IReadOnlyList<PrototypeCluster> Clusters)
{
    /// <summary>Clusters that passed the distinct-image condition.</summary>
    public int KeptClusterCount => Clusters.Count(c => c.Kept);
}
