namespace Mining.Kernels.Clustering;

/// <summary>Density-peak clustering with k-nearest-neighbour density (DPC-kNN), as ARCHITECTURE §1 defines it.</summary>
/// <remarks>
/// The semantics follow TCFormer's <c>cluster_dpc_knn</c>, which the reference calls for both the per-image
/// filter and the pooled prototype clustering, with its random tie-breaking noise replaced by a total order:
/// <list type="bullet">
/// <item>distance(i, j) = ‖x_i − x_j‖ / √d;</item>
/// <item>density(i) = exp(−mean of the squared distances to the k nearest points, i itself included at 0);</item>
/// <item>"higher density" is the strict order (density descending, then index ascending): of two points with equal
/// density the lower index counts as higher, so exactly one point has no higher point;</item>
/// <item>δ(i) = distance to the nearest higher point; for the one point with none, the largest distance in the
/// whole matrix (TCFormer's <c>dist_matrix.max()</c>, which is at least that point's own largest distance);</item>
/// <item>score = δ · density; the C highest scores are the centres (equal scores: lower index first), and
/// cluster c is the one of the c-th centre;</item>
/// <item>every point joins its nearest centre (equal distances: the lower-numbered cluster), then each centre joins
/// its own cluster (which matters only when two centres coincide).</item>
/// </list>
/// C = min(clusters, n) and k = min(k, n): with n ≤ clusters every point is its own cluster, numbered by score.
/// <para>
/// Two implementations give bit-identical results. <see cref="ClusterDense"/> holds the n×n distance matrix
/// (4·n² bytes, at most about 46 000 points). <see cref="ClusterBlocked"/> never holds it: it estimates distances
/// tile by tile with a float32 GEMM, keeps a few nearest candidates per point, and computes the exact distance
/// (the same <see cref="RowArithmetic.SquaredDistance"/> in the same order) for every pair the estimate cannot
/// decide, so its memory is O(n·candidates + block²) besides the input. <see cref="Cluster"/> picks the dense path
/// up to <see cref="DenseLimit"/> points and the blocked one above.
/// </para>
/// </remarks>
public static class DpcKnn
{
    /// <summary>
    /// The largest point count <see cref="Cluster"/> runs on the dense matrix. Measured on 2 cores, the blocked path
    /// overtakes the dense one from about 1000 points at d = 4096 and about 3000 at d = 64 (its GEMM set-up and
    /// candidate passes cost more than short rows save); 2048 sits between, keeps the per-image filter (at most 576
    /// tokens) on the dense path, and caps the dense matrix at 16 MiB.
    /// </summary>
    public const int DenseLimit = 2048;

    /// <summary>Clusters the rows of <paramref name="points"/> (row-major n×d) into min(<paramref name="clusters"/>, n) clusters.</summary>
    public static DpcKnnResult Cluster(float[] points, int n, int d, int clusters, int k) =>
        n <= DenseLimit ? ClusterDense(points, n, d, clusters, k) : ClusterBlocked(points, n, d, clusters, k);

    /// <summary>As <see cref="Cluster"/>, always on the full n×n distance matrix.</summary>
    public static DpcKnnResult ClusterDense(float[] points, int n, int d, int clusters, int k)
    {
        Validate(points, n, d, clusters, k);
        if (n == 0)
        {
            return Empty();
        }

        var distances = DistanceMatrix.Compute(points, n, d);
        var density = Density(distances, Math.Min(k, n));
        var delta = Delta(distances, density);
        var score = Scores(density, delta);
        var centres = Centres(score, Math.Min(clusters, n));
        var assignment = Assign(distances, centres);
        return new DpcKnnResult(assignment, centres, density, delta, score);
    }

    /// <summary>As <see cref="Cluster"/>, always blocked (see <see cref="BlockedDpcKnn"/>); the result is bit-identical to <see cref="ClusterDense"/>.</summary>
    public static DpcKnnResult ClusterBlocked(float[] points, int n, int d, int clusters, int k, BlockedDpcKnnOptions? options = null) =>
        BlockedDpcKnn.Run(points, n, d, clusters, k, options).Result;

    /// <summary>Checks the arguments every path shares; coordinates must be finite.</summary>
    internal static void Validate(float[] points, int n, int d, int clusters, int k)
    {
        ArgumentNullException.ThrowIfNull(points);
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        ArgumentOutOfRangeException.ThrowIfLessThan(d, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(clusters, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        if (points.Length != (long)n * d)
        {
            throw new ArgumentException($"points holds {points.Length} values, expected n·d = {n}·{d} = {(long)n * d}", nameof(points));
        }

        for (var index = 0; index < points.Length; index++)
        {
            if (!float.IsFinite(points[index]))
            {
                throw new ArgumentException($"points holds {points[index]} at row {index / d}, column {index % d}; coordinates must be finite", nameof(points));
            }
        }
    }

    internal static DpcKnnResult Empty() => new([], [], [], [], []);

    /// <summary>exp(−mean squared distance) from the k nearest distances, ascending, the point itself (0) first.</summary>
    /// <remarks>Both paths sum in this order, so equal distances give equal bits.</remarks>
    internal static double DensityOf(ReadOnlySpan<float> nearestAscending)
    {
        var sum = 0.0;
        foreach (var value in nearestAscending)
        {
            sum += (double)value * value;
        }

        return Math.Exp(-sum / nearestAscending.Length);
    }

    /// <summary>The strict total order behind "higher density": density, then the lower index.</summary>
    internal static bool IsHigher(double[] density, int j, int i) =>
        density[j] > density[i] || (density[j] == density[i] && j < i);

    internal static double[] Scores(double[] density, double[] delta)
    {
        var score = new double[density.Length];
        for (var i = 0; i < score.Length; i++)
        {
            score[i] = delta[i] * density[i];
        }

        return score;
    }

    internal static int[] Centres(double[] score, int count)
    {
        var order = new int[score.Length];
        for (var i = 0; i < order.Length; i++)
        {
            order[i] = i;
        }

        Array.Sort(order, (a, b) =>
        {
            var byScore = score[b].CompareTo(score[a]);
            return byScore != 0 ? byScore : a.CompareTo(b);
        });
        return order[..count];
    }

    private static double[] Density(DistanceMatrix distances, int k)
    {
        var n = distances.Count;
        var density = new double[n];
        Parallel.For(
            0,
            n,
            () => new float[k],
            (i, _, nearest) =>
            {
                // Insertion into a sorted buffer of the k smallest: only the values matter, not which points.
                var filled = 0;
                foreach (var value in distances.Row(i))
                {
                    if (filled == k && value >= nearest[k - 1])
                    {
                        continue;
                    }

                    var slot = filled < k ? filled++ : k - 1;
                    while (slot > 0 && nearest[slot - 1] > value)
                    {
                        nearest[slot] = nearest[slot - 1];
                        slot--;
                    }

                    nearest[slot] = value;
                }

                density[i] = DensityOf(nearest);
                return nearest;
            },
            _ => { });
        return density;
    }

    private static double[] Delta(DistanceMatrix distances, double[] density)
    {
        var n = distances.Count;
        var delta = new double[n];
        Parallel.For(0, n, i =>
        {
            var row = distances.Row(i);
            var nearest = double.PositiveInfinity;
            for (var j = 0; j < n; j++)
            {
                if (IsHigher(density, j, i) && row[j] < nearest)
                {
                    nearest = row[j];
                }
            }

            delta[i] = double.IsPositiveInfinity(nearest) ? distances.Max : nearest;
        });
        return delta;
    }

    private static int[] Assign(DistanceMatrix distances, int[] centres)
    {
        var n = distances.Count;
        var assignment = new int[n];
        Parallel.For(0, n, i =>
        {
            var row = distances.Row(i);
            var best = 0;
            for (var c = 1; c < centres.Length; c++)
            {
                if (row[centres[c]] < row[centres[best]])
                {
                    best = c;
                }
            }

            assignment[i] = best;
        });

        for (var c = 0; c < centres.Length; c++)
        {
            assignment[centres[c]] = c;
        }

        return assignment;
    }
}
