using System.Diagnostics;
using Mining.Kernels.Runtime;
using TorchSharp;

namespace Mining.Benchmarks;

/// <summary>Measures a device's attainable fp32 GEMM throughput with <c>torch.mm</c>, the yardstick for how far the model's compute is from the hardware's.</summary>
public static class GemmPeak
{
    /// <summary>How long the timed products should take when the repetitions are chosen adaptively.</summary>
    public static readonly TimeSpan TargetDuration = TimeSpan.FromSeconds(1);

    private const int MaxAdaptiveRepetitions = 100_000;

    /// <summary>Times <c>torch.mm</c> of two random <paramref name="size"/>×<paramref name="size"/> fp32 matrices on <paramref name="device"/>.</summary>
    /// <param name="device">Where to multiply.</param>
    /// <param name="size">The side of the square matrices.</param>
    /// <param name="repetitions">How many timed products to run; 0 (the default) times one product after the
    /// warm-up and then runs as many as fill <see cref="TargetDuration"/> (about 1 s; on a 2-core CPU 1024² takes
    /// tens of milliseconds, so a few dozen).</param>
    public static GemmMeasurement Measure(torch.Device device, int size = 1024, int repetitions = 0)
    {
        ArgumentNullException.ThrowIfNull(device);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(size);
        ArgumentOutOfRangeException.ThrowIfNegative(repetitions);
        TorchRuntime.EnsureLoaded();

        using var scope = torch.NewDisposeScope();
        using var a = torch.rand(size, size, dtype: torch.ScalarType.Float32, device: device);
        using var b = torch.rand(size, size, dtype: torch.ScalarType.Float32, device: device);

        // The warm-up pays one-off costs (allocator growth, BLAS/cuBLAS initialisation, thread pool start).
        Time(device, a, b, 1);
        if (repetitions == 0)
        {
            var one = Time(device, a, b, 1);
            repetitions = one <= 0
                ? MaxAdaptiveRepetitions
                : (int)Math.Clamp(Math.Ceiling(TargetDuration.TotalSeconds / one), 1, MaxAdaptiveRepetitions);
        }

        var seconds = Time(device, a, b, repetitions);
        var flops = 2.0 * size * size * (double)size * repetitions;
        return new GemmMeasurement(flops / seconds / 1e9, size, repetitions, seconds, torch.get_num_threads());
    }

    /// <summary>The wall time in seconds of <paramref name="count"/> products, waiting for the device to finish.</summary>
    private static double Time(torch.Device device, torch.Tensor a, torch.Tensor b, int count)
    {
        Synchronize(device);
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < count; i++)
        {
            // Each product is disposed at once so memory stays flat however many repetitions run.
            using var product = torch.mm(a, b);
        }

        Synchronize(device);
        return clock.Elapsed.TotalSeconds;
    }

    // CUDA kernels run asynchronously; without a sync the clock would time only the launches.
    private static void Synchronize(torch.Device device)
    {
        if (device.type == DeviceType.CUDA)
        {
            torch.cuda.synchronize(device);
        }
    }
}
