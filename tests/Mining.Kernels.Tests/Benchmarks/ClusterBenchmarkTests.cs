using Mining.Benchmarks;
using Mining.Kernels.Clustering;

namespace Mining.Kernels.Tests.Benchmarks;

public sealed class ClusterBenchmarkTests
{
    [Fact]
    public void The_same_seed_gives_the_same_synthetic_points()
    {
        Assert.Equal(ClusterBenchmark.SyntheticPoints(seed: 3, n: 200, d: 17), ClusterBenchmark.SyntheticPoints(seed: 3, n: 200, d: 17));
    }

    [Fact]
    public void Another_seed_gives_other_synthetic_points()
    {
        Assert.NotEqual(ClusterBenchmark.SyntheticPoints(seed: 3, n: 200, d: 17), ClusterBenchmark.SyntheticPoints(seed: 4, n: 200, d: 17));
    }

    [Fact]
    public void Synthetic_points_fall_into_blobs_closer_inside_than_between()
    {
        // Two blobs: centres uniform in [−1, 1]^d are ≈ √(2d/3) apart, points within a blob ≈ √2·σ·√d with σ ≤ 0.7.
        const int n = 60, d = 400;
        var points = ClusterBenchmark.SyntheticPoints(seed: 1, n, d, blobs: 2);

        var result = DpcKnn.ClusterDense(points, n, d, clusters: 2, k: 5);

        // Exactly two sizable groups: no cluster is a lone outlier.
        Assert.All(result.ClusterSizes(), size => Assert.True(size > 5, $"cluster of {size}"));
    }

    [Fact]
    public void The_first_pass_flops_count_every_tile_of_the_upper_triangle_once()
    {
        // n = 10 in blocks of 4: rows 4, 4, 2; tiles 16 + 16 + 8 + 16 + 8 + 4 = 68 products of length 3, two FLOPs each.
        Assert.Equal(2.0 * 3 * 68, ClusterBenchmark.FirstPassFlops(10, 3, 4));
    }

    [Fact]
    public void A_measurement_reports_the_input_and_a_peak_no_lower_than_before_and_matches_the_dense_path()
    {
        var m = ClusterBenchmark.Measure(n: 300, d: 16, clusters: 8, k: 5, seed: 2, new BlockedDpcKnnOptions { BlockRows = 128 }, compareWithDense: true);

        Assert.Equal(300 * 16 * sizeof(float), m.InputBytes);
        Assert.True(m.ResidentBeforeBytes > 0, $"resident before {m.ResidentBeforeBytes}");
        Assert.True(m.PeakResidentBytes >= m.ResidentBeforeBytes, $"peak {m.PeakResidentBytes} < before {m.ResidentBeforeBytes}");
        Assert.Equal(6, m.Stats.Tiles);
        Assert.True(m.IdenticalToDense);
        Assert.NotNull(m.DenseSeconds);
    }

    [Fact]
    public void Without_the_dense_comparison_its_figures_are_absent()
    {
        var m = ClusterBenchmark.Measure(n: 50, d: 8, clusters: 4, k: 3, seed: 2);

        Assert.Null(m.DenseSeconds);
        Assert.Null(m.IdenticalToDense);
    }
}
