using Mining.Kernels.Clustering;

namespace Mining.Kernels.Tests.Clustering;

public sealed class BlockedDpcKnnTests
{
    [Theory]
    [InlineData(3000, 64, 5, 16, 512)]
    [InlineData(2500, 512, 5, 32, 1000)]
    [InlineData(2000, 4096, 5, 64, 768)]
    [InlineData(3000, 128, 1, 8, 4096)]
    [InlineData(2000, 256, 12, 20, 700)]
    public void Blocked_clustering_equals_the_dense_one_bit_for_bit_on_clustered_points(int n, int d, int k, int clusters, int blockRows)
    {
        var points = Blobs(seed: n + d, n, d, blobs: 24, spread: 0.6f);

        var (blocked, _) = BlockedDpcKnn.Run(points, n, d, clusters, k, new BlockedDpcKnnOptions { BlockRows = blockRows });

        AssertIdentical(DpcKnn.ClusterDense(points, n, d, clusters, k), blocked);
    }

    [Fact]
    public void Blocked_clustering_equals_the_dense_one_on_uniform_random_points()
    {
        var points = PlainDpcKnn.RandomPoints(seed: 5, n: 2000, d: 33);

        var blocked = DpcKnn.ClusterBlocked(points, 2000, 33, clusters: 10, k: 3, new BlockedDpcKnnOptions { BlockRows = 600 });

        AssertIdentical(DpcKnn.ClusterDense(points, 2000, 33, clusters: 10, k: 3), blocked);
    }

    [Fact]
    public void Blocked_clustering_equals_the_dense_one_for_points_far_from_the_origin()
    {
        // Norms ≈ 10⁶·d dwarf the distances (≈ 0.1·d): without centring the GEMM estimate would be noise.
        var points = Blobs(seed: 3, 1500, 96, blobs: 6, spread: 0.2f);
        for (var index = 0; index < points.Length; index++)
        {
            points[index] += 1000f;
        }

        var blocked = DpcKnn.ClusterBlocked(points, 1500, 96, clusters: 12, k: 5, new BlockedDpcKnnOptions { BlockRows = 512 });

        AssertIdentical(DpcKnn.ClusterDense(points, 1500, 96, clusters: 12, k: 5), blocked);
    }

    [Fact]
    public void Blocked_clustering_equals_the_dense_one_when_many_points_are_exact_duplicates()
    {
        // 1200 points drawn from 150 distinct ones: equal densities (the index decides), δ = 0 for all but one copy.
        const int n = 1200, d = 40;
        var distinct = Blobs(seed: 11, 150, d, blobs: 5, spread: 0.5f);
        var random = new Random(12);
        var points = new float[n * d];
        for (var i = 0; i < n; i++)
        {
            distinct.AsSpan(random.Next(150) * d, d).CopyTo(points.AsSpan(i * d, d));
        }

        var (blocked, _) = BlockedDpcKnn.Run(points, n, d, clusters: 30, k: 5, new BlockedDpcKnnOptions { BlockRows = 256 });

        AssertIdentical(DpcKnn.ClusterDense(points, n, d, clusters: 30, k: 5), blocked);
    }

    [Fact]
    public void Blocked_clustering_equals_the_dense_one_on_a_lattice_where_distances_tie()
    {
        // Small integer coordinates: many pairs share a distance, so nearest-centre ties fall to the lower cluster.
        const int n = 1000, d = 3;
        var random = new Random(21);
        var points = new float[n * d];
        for (var index = 0; index < points.Length; index++)
        {
            points[index] = random.Next(6);
        }

        var blocked = DpcKnn.ClusterBlocked(points, n, d, clusters: 40, k: 4, new BlockedDpcKnnOptions { BlockRows = 300 });

        AssertIdentical(DpcKnn.ClusterDense(points, n, d, clusters: 40, k: 4), blocked);
    }

    [Fact]
    public void One_candidate_per_point_forces_second_scans_that_still_give_the_dense_result()
    {
        const int n = 1500, d = 200;
        var points = Blobs(seed: 8, n, d, blobs: 10, spread: 0.7f);

        var (blocked, stats) = BlockedDpcKnn.Run(points, n, d, clusters: 16, k: 1, new BlockedDpcKnnOptions { BlockRows = 400, Candidates = 1 });

        Assert.True(stats.DeltaRescans > 0, $"{stats.DeltaRescans} δ rescans");
        AssertIdentical(DpcKnn.ClusterDense(points, n, d, clusters: 16, k: 1), blocked);
    }

    [Fact]
    public void Candidates_that_cannot_settle_the_k_nearest_send_points_to_a_second_scan_with_the_dense_result()
    {
        // A lattice has many equal nearest distances: with exactly k − 1 candidates the last is often tied with
        // points left out, whose bounds then reach below it.
        const int n = 800, d = 2;
        var random = new Random(4);
        var points = new float[n * d];
        for (var index = 0; index < points.Length; index++)
        {
            points[index] = random.Next(12);
        }

        var (blocked, stats) = BlockedDpcKnn.Run(points, n, d, clusters: 9, k: 6, new BlockedDpcKnnOptions { BlockRows = 300, Candidates = 1 });

        Assert.True(stats.DensityRescans > 0, $"{stats.DensityRescans} density rescans");
        AssertIdentical(DpcKnn.ClusterDense(points, n, d, clusters: 9, k: 6), blocked);
    }

    [Fact]
    public void More_centres_than_a_block_holds_give_the_dense_assignment()
    {
        // 500 centres in blocks of 64 rows: the products with the centres come in eight column blocks.
        const int n = 600, d = 30;
        var points = Blobs(seed: 6, n, d, blobs: 20, spread: 0.5f);

        var blocked = DpcKnn.ClusterBlocked(points, n, d, clusters: 500, k: 3, new BlockedDpcKnnOptions { BlockRows = 64, Candidates = 2 });

        AssertIdentical(DpcKnn.ClusterDense(points, n, d, clusters: 500, k: 3), blocked);
    }

    [Theory]
    [InlineData(1, 5, 3)]
    [InlineData(2, 2, 1)]
    [InlineData(3, 1, 3)]
    [InlineData(5, 2, 2)]
    [InlineData(10, 20, 50)]
    [InlineData(70, 8, 5)]
    public void Blocked_clustering_equals_the_dense_one_for_a_handful_of_points(int n, int clusters, int k)
    {
        var points = PlainDpcKnn.RandomPoints(seed: n, n, d: 7);

        var blocked = DpcKnn.ClusterBlocked(points, n, 7, clusters, k, new BlockedDpcKnnOptions { BlockRows = 4, Candidates = 3 });

        AssertIdentical(DpcKnn.ClusterDense(points, n, 7, clusters, k), blocked);
    }

    [Fact]
    public void Identical_points_all_join_the_first_centre_with_zero_distances()
    {
        var points = new float[50 * 8];
        Array.Fill(points, 0.25f);

        var blocked = DpcKnn.ClusterBlocked(points, 50, 8, clusters: 3, k: 5, new BlockedDpcKnnOptions { BlockRows = 16 });

        AssertIdentical(DpcKnn.ClusterDense(points, 50, 8, clusters: 3, k: 5), blocked);
        Assert.All(blocked.Delta, value => Assert.Equal(0.0, value));
    }

    [Fact]
    public void Cluster_above_the_dense_limit_gives_the_dense_result()
    {
        const int n = DpcKnn.DenseLimit + 37, d = 24;
        var points = Blobs(seed: 17, n, d, blobs: 12, spread: 0.5f);

        AssertIdentical(DpcKnn.ClusterDense(points, n, d, clusters: 12, k: 5), DpcKnn.Cluster(points, n, d, clusters: 12, k: 5));
    }

    [Fact]
    public void The_first_pass_multiplies_the_upper_triangle_of_blocks_once()
    {
        // 1000 rows in blocks of 300: 4 blocks, 4·5/2 = 10 tiles.
        var points = PlainDpcKnn.RandomPoints(seed: 2, n: 1000, d: 5);

        var (_, stats) = BlockedDpcKnn.Run(points, 1000, 5, clusters: 4, k: 5, new BlockedDpcKnnOptions { BlockRows = 300 });

        Assert.Equal(10, stats.Tiles);
    }

    [Fact]
    public void Progress_reaches_one_after_the_last_tile()
    {
        var reports = new List<double>();
        var points = PlainDpcKnn.RandomPoints(seed: 2, n: 300, d: 5);

        BlockedDpcKnn.Run(points, 300, 5, clusters: 4, k: 5, new BlockedDpcKnnOptions { BlockRows = 100, Progress = new ListProgress(reports) });

        Assert.Equal(6, reports.Count);
        Assert.Equal(1.0, reports[^1]);
    }

    [Fact]
    public void No_points_give_no_clusters()
    {
        var result = DpcKnn.ClusterBlocked([], 0, 8, clusters: 4, k: 5);

        Assert.Empty(result.Assignment);
        Assert.Empty(result.Centres);
    }

    [Fact]
    public void A_block_size_below_one_is_rejected_naming_it()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() =>
            DpcKnn.ClusterBlocked(new float[8], 4, 2, clusters: 2, k: 2, new BlockedDpcKnnOptions { BlockRows = 0 }));

        Assert.Equal("BlockRows", error.ParamName);
    }

    [Fact]
    public void A_candidate_count_below_one_is_rejected_naming_it()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() =>
            DpcKnn.ClusterBlocked(new float[8], 4, 2, clusters: 2, k: 2, new BlockedDpcKnnOptions { Candidates = 0 }));

        Assert.Equal("Candidates", error.ParamName);
    }

    [Fact]
    public void A_non_finite_coordinate_is_rejected_with_its_row()
    {
        float[] points = [0, 0, 1, float.PositiveInfinity];

        var error = Assert.Throws<ArgumentException>(() => DpcKnn.ClusterBlocked(points, 2, 2, clusters: 1, k: 1));

        Assert.Contains("row 1", error.Message);
    }

    private static void AssertIdentical(DpcKnnResult expected, DpcKnnResult actual)
    {
        Assert.Equal(expected.Density, actual.Density);
        Assert.Equal(expected.Delta, actual.Delta);
        Assert.Equal(expected.Score, actual.Score);
        Assert.Equal(expected.Centres, actual.Centres);
        Assert.Equal(expected.Assignment, actual.Assignment);
    }

    /// <summary>Gaussian blobs: <paramref name="blobs"/> centres uniform in [−1, 1]^d, each point a centre plus N(0, spread²) noise.</summary>
    private static float[] Blobs(int seed, int n, int d, int blobs, float spread)
    {
        var random = new Random(seed);
        var centres = new float[blobs * d];
        for (var index = 0; index < centres.Length; index++)
        {
            centres[index] = (float)((random.NextDouble() * 2) - 1);
        }

        var points = new float[n * d];
        for (var i = 0; i < n; i++)
        {
            var blob = random.Next(blobs);
            for (var c = 0; c < d; c++)
            {
                var gaussian = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
                points[(i * d) + c] = centres[(blob * d) + c] + (float)(spread * gaussian);
            }
        }

        return points;
    }

    private sealed class ListProgress(List<double> reports) : IProgress<double>
    {
        public void Report(double value) => reports.Add(value);
    }
}
