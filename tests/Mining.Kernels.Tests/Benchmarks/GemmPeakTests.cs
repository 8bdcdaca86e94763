using Mining.Benchmarks;
using TorchSharp;

namespace Mining.Kernels.Tests.Benchmarks;

public sealed class GemmPeakTests
{
    [Fact]
    public void A_fixed_number_of_repetitions_gives_a_positive_finite_rate_consistent_with_its_fields()
    {
        var measurement = GemmPeak.Measure(torch.CPU, size: 64, repetitions: 3);

        Assert.Equal(64, measurement.Size);
        Assert.Equal(3, measurement.Repetitions);
        Assert.True(measurement.Seconds > 0 && double.IsFinite(measurement.Seconds), $"seconds {measurement.Seconds}");
        Assert.True(measurement.GflopsPerSecond > 0 && double.IsFinite(measurement.GflopsPerSecond), $"GFLOP/s {measurement.GflopsPerSecond}");
        // 2·n³ floating-point operations per product, by hand: 2·64³ = 524288.
        Assert.Equal(524288.0 * 3 / measurement.Seconds / 1e9, measurement.GflopsPerSecond, 1e-9);
        Assert.Equal(torch.get_num_threads(), measurement.Threads);
    }

    [Fact]
    public void Adaptive_repetitions_run_at_least_one_product()
    {
        var measurement = GemmPeak.Measure(torch.CPU, size: 32);

        Assert.True(measurement.Repetitions >= 1, $"repetitions {measurement.Repetitions}");
        Assert.True(measurement.GflopsPerSecond > 0 && double.IsFinite(measurement.GflopsPerSecond), $"GFLOP/s {measurement.GflopsPerSecond}");
    }

    [Fact]
    public void A_size_of_zero_is_rejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => GemmPeak.Measure(torch.CPU, size: 0));
    }

    [Fact]
    public void Negative_repetitions_are_rejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => GemmPeak.Measure(torch.CPU, size: 8, repetitions: -1));
    }
}
