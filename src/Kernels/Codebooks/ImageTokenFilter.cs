using Mining.Kernels.Clustering;
using Mining.Kernels.Experiments;

namespace Mining.Kernels.Codebooks;

/// <summary>The per-image filter of ARCHITECTURE §1: redundant tokens count only in small clusters of the image's candidates.</summary>
public static class ImageTokenFilter
{
    /// <summary>
    /// Clusters the image's <paramref name="count"/> candidate tokens (row-major count×<paramref name="hidden"/>) with
    /// DPC-kNN into <see cref="MiningParameters.ImageClusters"/> clusters (k = <see cref="MiningParameters.DpcKnnK"/>)
    /// and keeps the redundant tokens of clusters with at most <see cref="MiningParameters.SmallClusterMax"/> members.
    /// All candidates are clustered, redundant or not, as the reference does; only the keep decision looks at
    /// <paramref name="redundant"/>. Returns one flag per candidate, in candidate order.
    /// </summary>
    public static bool[] Keep(float[] candidateEmbeddings, int count, int hidden, bool[] redundant, MiningParameters p)
    {
        ArgumentNullException.ThrowIfNull(candidateEmbeddings);
        ArgumentNullException.ThrowIfNull(redundant);
        ArgumentNullException.ThrowIfNull(p);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfLessThan(hidden, 1);
        if (candidateEmbeddings.Length != (long)count * hidden)
        {
            throw new ArgumentException($"candidateEmbeddings holds {candidateEmbeddings.Length} values, expected count·hidden = {count}·{hidden}", nameof(candidateEmbeddings));
        }

        if (redundant.Length != count)
        {
            throw new ArgumentException($"redundant holds {redundant.Length} flags for {count} candidates", nameof(redundant));
        }

        p.Validate();
        var kept = new bool[count];

        // Clustering cannot keep anything when no token is redundant; skip its O(n²·d) cost.
        if (!redundant.Contains(true))
        {
            return kept;
        }

        var clustering = DpcKnn.Cluster(candidateEmbeddings, count, hidden, p.ImageClusters, p.DpcKnnK);
        var sizes = clustering.ClusterSizes();
        for (var i = 0; i < count; i++)
        {
            kept[i] = redundant[i] && sizes[clustering.Assignment[i]] <= p.SmallClusterMax;
        }

        return kept;
    }
}
