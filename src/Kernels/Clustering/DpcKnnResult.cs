namespace Mining.Kernels.Clustering;

/// <summary>What DPC-kNN computed: each point's cluster, the centres, and the per-point quantities that chose them.</summary>
/// <param name="Assignment">Cluster of each point, 0..C−1; cluster c is the one whose centre is <c>Centres[c]</c>.</param>
/// <param name="Centres">Point index of each cluster's centre, highest score first.</param>
/// <param name="Density">exp(−mean squared distance to the k nearest points, itself included).</param>
/// <param name="Delta">Distance to the nearest point of higher density (the matrix's largest distance for the densest point).</param>
/// <param name="Score">Delta · Density.</param>
public sealed record DpcKnnResult(int[] Assignment, int[] Centres, double[] Density, double[] Delta, double[] Score)
{
    /// <summary>Number of clusters C.</summary>
    public int ClusterCount => Centres.Length;

    /// <summary>How many points each cluster holds, indexed by cluster.</summary>
    public int[] ClusterSizes()
    {
        var sizes = new int[Centres.Length];
        foreach (var cluster in Assignment)
        {
            sizes[cluster]++;
        }

        return sizes;
    }
}
