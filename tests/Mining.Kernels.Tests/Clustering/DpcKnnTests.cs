using Mining.Kernels.Clustering;

namespace Mining.Kernels.Tests.Clustering;

public sealed class DpcKnnTests
{
    // Two groups in 2-D, interleaved by index:
    //   A0 = (0,0), A1 = (1,0), A2 = (0,2)      pairwise squared distances 1, 4, 5
    //   B0 = (10,10), B1 = (13,10), B2 = (10,11) pairwise squared distances 9, 1, 10
    // Index order: 0 = B1, 1 = A1, 2 = B0, 3 = A0, 4 = A2, 5 = B2.
    private static readonly float[] TwoGroups =
    [
        13, 10,
        1, 0,
        10, 10,
        0, 0,
        0, 2,
        10, 11,
    ];

    [Fact]
    public void Density_is_exp_of_minus_the_mean_squared_scaled_distance_to_the_k_nearest_including_itself()
    {
        // k = 3: each point's three nearest are its own group (itself at 0). Scaled squared distance = squared / d = /2.
        var result = DpcKnn.Cluster(TwoGroups, 6, 2, clusters: 2, k: 3);

        double[] expected =
        [
            Math.Exp(-(0 + 9 + 10) / 2.0 / 3), // B1
            Math.Exp(-(0 + 1 + 5) / 2.0 / 3),  // A1
            Math.Exp(-(0 + 9 + 1) / 2.0 / 3),  // B0
            Math.Exp(-(0 + 1 + 4) / 2.0 / 3),  // A0
            Math.Exp(-(0 + 4 + 5) / 2.0 / 3),  // A2
            Math.Exp(-(0 + 1 + 10) / 2.0 / 3), // B2
        ];
        for (var i = 0; i < 6; i++)
        {
            Assert.Equal(expected[i], result.Density[i], 1e-6);
        }
    }

    [Fact]
    public void Delta_is_the_distance_to_the_nearest_denser_point_and_the_matrix_maximum_for_the_densest()
    {
        // Density order: A0 > A1 > A2 > B0 > B2 > B1. The largest distance is A0–B1: √(13² + 10²) / √2.
        var result = DpcKnn.Cluster(TwoGroups, 6, 2, clusters: 2, k: 3);

        double[] expected =
        [
            Math.Sqrt(9 / 2.0),   // B1: every point is denser; the nearest is B0 at 3 (B2 at √10)
            Math.Sqrt(1 / 2.0),   // A1: A0 at 1
            Math.Sqrt(164 / 2.0), // B0: denser are A0, A1, A2; nearest is A2 at √(10² + 8²)
            Math.Sqrt(269 / 2.0), // A0: densest, the matrix maximum
            Math.Sqrt(4 / 2.0),   // A2: A0 at 2 (A1 at √5)
            Math.Sqrt(1 / 2.0),   // B2: B0 at 1
        ];
        for (var i = 0; i < 6; i++)
        {
            Assert.Equal(expected[i], result.Delta[i], 1e-5);
        }
    }

    [Fact]
    public void The_densest_point_takes_the_largest_distance_of_the_whole_matrix_not_of_its_own_row()
    {
        // A0 = (0,0) is densest (k = 3); its own farthest point is A2 at 2, but the matrix maximum is A1–A2 at √5.
        float[] points = [0, 0, 1, 0, 0, 2];

        var result = DpcKnn.Cluster(points, 3, 2, clusters: 1, k: 3);

        Assert.Equal(Math.Sqrt(5 / 2.0), result.Delta[0], 1e-6);
    }

    [Fact]
    public void The_highest_scores_become_centres_and_every_point_joins_its_nearest_centre()
    {
        // Scores: A0 = √134.5·e^(−5/6) ≈ 5.04, B0 = √82·e^(−5/3) ≈ 1.71, then A2 ≈ 0.32, A1 ≈ 0.26, B2 ≈ 0.11, B1 ≈ 0.09.
        var result = DpcKnn.Cluster(TwoGroups, 6, 2, clusters: 2, k: 3);

        Assert.Equal([3, 2], result.Centres);
        Assert.Equal([1, 0, 1, 0, 0, 1], result.Assignment);
        Assert.Equal(Math.Sqrt(134.5) * Math.Exp(-5.0 / 6), result.Score[3], 1e-5);
        Assert.Equal(Math.Sqrt(82) * Math.Exp(-5.0 / 3), result.Score[2], 1e-5);
    }

    [Fact]
    public void Equal_densities_make_the_lower_index_denser_so_duplicates_get_zero_delta()
    {
        // Two pairs of duplicates; with k = 2 every density is exp(0) = 1. Order by index: P0 is densest,
        // δ(P1) = d(P1, P0) = 0, δ(P2) = 5/√2 (nearest of P0, P1), δ(P3) = d(P3, P2) = 0.
        float[] points = [0, 0, 0, 0, 5, 0, 5, 0];

        var result = DpcKnn.Cluster(points, 4, 2, clusters: 2, k: 2);

        Assert.Equal([1.0, 1.0, 1.0, 1.0], result.Density);
        Assert.Equal(5 / Math.Sqrt(2), result.Delta[0], 1e-6);
        Assert.Equal(0.0, result.Delta[1]);
        Assert.Equal(5 / Math.Sqrt(2), result.Delta[2], 1e-6);
        Assert.Equal(0.0, result.Delta[3]);
        Assert.Equal([0, 2], result.Centres); // P0 and P2 tie on score: the lower index first
        Assert.Equal([0, 0, 1, 1], result.Assignment);
    }

    [Fact]
    public void A_centre_joins_its_own_cluster_even_when_another_centre_coincides_with_it()
    {
        // As above with three clusters: the third centre is P1 (score 0 ties with P3, lower index), which sits on P0.
        float[] points = [0, 0, 0, 0, 5, 0, 5, 0];

        var result = DpcKnn.Cluster(points, 4, 2, clusters: 3, k: 2);

        Assert.Equal([0, 2, 1], result.Centres);
        Assert.Equal([0, 2, 1, 1], result.Assignment);
    }

    [Fact]
    public void A_point_equally_far_from_two_centres_joins_the_lower_numbered_cluster()
    {
        // k = 1: every density is 1. δ = (2, 2, 1)/√2; centres 0 and 1 (equal scores, lower index first).
        // Point 2 sits halfway between them.
        float[] points = [0, 0, 2, 0, 1, 0];

        var result = DpcKnn.Cluster(points, 3, 2, clusters: 2, k: 1);

        Assert.Equal([0, 1], result.Centres);
        Assert.Equal([0, 1, 0], result.Assignment);
    }

    [Fact]
    public void With_no_more_points_than_clusters_every_point_is_its_own_cluster_numbered_by_score()
    {
        // k = 3 over 3 points: densities e^(−(0+1+4)/6), e^(−(0+1+5)/6), e^(−(0+4+5)/6) for A0, A1, A2.
        // δ: A0 = √(5/2) (matrix maximum A1–A2), A1 = √(1/2), A2 = √(4/2). Scores: A0 ≈ 0.69, A2 ≈ 0.32, A1 ≈ 0.26.
        float[] points = [0, 0, 1, 0, 0, 2];

        var result = DpcKnn.Cluster(points, 3, 2, clusters: 5, k: 3);

        Assert.Equal(3, result.ClusterCount);
        Assert.Equal([0, 2, 1], result.Centres);
        Assert.Equal([0, 2, 1], result.Assignment);
        Assert.Equal(Math.Sqrt(5 / 2.0) * Math.Exp(-5.0 / 6), result.Score[0], 1e-6);
    }

    [Fact]
    public void K_larger_than_the_point_count_is_clamped_to_it()
    {
        float[] points = [0, 0, 1, 0, 0, 2];

        var clamped = DpcKnn.Cluster(points, 3, 2, clusters: 2, k: 50);

        Assert.Equal(Math.Exp(-5.0 / 6), clamped.Density[0], 1e-6);
        Assert.Equal(Math.Exp(-1.0), clamped.Density[1], 1e-6);
        Assert.Equal(Math.Exp(-1.5), clamped.Density[2], 1e-6);
    }

    [Fact]
    public void Random_points_match_a_plain_second_implementation()
    {
        foreach (var (seed, n, d, clusters, k) in new[] { (1, 40, 7, 4, 5), (2, 97, 33, 8, 5), (3, 64, 4096, 6, 3), (4, 25, 1, 3, 2) })
        {
            var points = PlainDpcKnn.RandomPoints(seed, n, d);
            var expected = PlainDpcKnn.Run(points, n, d, clusters, k);

            var result = DpcKnn.Cluster(points, n, d, clusters, k);

            for (var i = 0; i < n; i++)
            {
                Assert.Equal(expected.Density[i], result.Density[i], 1e-5 * expected.Density[i]);
                Assert.Equal(expected.Delta[i], result.Delta[i], 1e-5 * expected.Delta[i]);
            }

            Assert.Equal(expected.Centres, result.Centres);
            Assert.Equal(expected.Assignment, result.Assignment);
        }
    }

    [Fact]
    public void Two_runs_on_the_same_points_give_identical_bits()
    {
        var points = PlainDpcKnn.RandomPoints(seed: 9, n: 300, d: 257);

        var first = DpcKnn.Cluster(points, 300, 257, clusters: 16, k: 5);
        var second = DpcKnn.Cluster(points, 300, 257, clusters: 16, k: 5);

        Assert.Equal(first.Density, second.Density);
        Assert.Equal(first.Delta, second.Delta);
        Assert.Equal(first.Score, second.Score);
        Assert.Equal(first.Centres, second.Centres);
        Assert.Equal(first.Assignment, second.Assignment);
    }

    [Fact]
    public void No_points_give_no_clusters()
    {
        var result = DpcKnn.Cluster([], 0, 8, clusters: 4, k: 5);

        Assert.Empty(result.Assignment);
        Assert.Equal(0, result.ClusterCount);
    }

    [Fact]
    public void Points_of_the_wrong_length_are_rejected_naming_the_argument()
    {
        var error = Assert.Throws<ArgumentException>(() => DpcKnn.Cluster(new float[7], 2, 4, clusters: 2, k: 2));

        Assert.Equal("points", error.ParamName);
        Assert.Contains("expected n·d", error.Message);
    }

    [Fact]
    public void A_non_finite_coordinate_is_rejected_with_its_row()
    {
        float[] points = [0, 0, 1, float.NaN];

        var error = Assert.Throws<ArgumentException>(() => DpcKnn.Cluster(points, 2, 2, clusters: 1, k: 1));

        Assert.Contains("row 1", error.Message);
    }
}
