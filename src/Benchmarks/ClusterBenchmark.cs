using System.Diagnostics;
using Mining.Kernels.Clustering;

namespace Mining.Benchmarks;

/// <summary>Time and peak memory of the blocked DPC-kNN on synthetic clustered points, optionally checked against the dense path.</summary>
public static class ClusterBenchmark
{
    /// <summary>
    /// <paramref name="n"/> points in <paramref name="d"/> dimensions around <paramref name="blobs"/> centres drawn
    /// uniformly from [−1, 1]^d; each point is its blob's centre plus Gaussian noise whose spread (0.3 to 0.7 per blob)
    /// varies the densities. The same seed gives the same points whatever the thread count.
    /// </summary>
    public static float[] SyntheticPoints(int seed, int n, int d, int blobs = 64)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        ArgumentOutOfRangeException.ThrowIfLessThan(d, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(blobs, 1);
        if ((long)n * d > Array.MaxLength)
        {
            throw new ArgumentException($"{n}×{d} points need more values than one array holds", nameof(n));
        }

        var random = new Random(seed);
        var centres = new float[blobs * d];
        var spreads = new double[blobs];
        for (var index = 0; index < centres.Length; index++)
        {
            centres[index] = (float)((random.NextDouble() * 2) - 1);
        }

        for (var b = 0; b < blobs; b++)
        {
            spreads[b] = 0.3 + (0.4 * random.NextDouble());
        }

        var points = new float[(long)n * d];
        Parallel.For(0, n, i =>
        {
            // One generator per row, seeded by (seed, row): the rows do not depend on scheduling.
            var rowRandom = new Random(HashCode.Combine(seed, i));
            var blob = rowRandom.Next(blobs);
            var row = points.AsSpan(i * d, d);
            for (var c = 0; c < d; c++)
            {
                // Box–Muller: one standard normal from two uniforms.
                var gaussian = Math.Sqrt(-2 * Math.Log(1 - rowRandom.NextDouble())) * Math.Cos(2 * Math.PI * rowRandom.NextDouble());
                row[c] = centres[(blob * d) + c] + (float)(spreads[blob] * gaussian);
            }
        });
        return points;
    }

    /// <summary>
    /// Clusters <see cref="SyntheticPoints"/>(<paramref name="seed"/>, <paramref name="n"/>, <paramref name="d"/>)
    /// with <see cref="BlockedDpcKnn"/> and measures it; with <paramref name="compareWithDense"/> also runs
    /// <see cref="DpcKnn.ClusterDense"/> (n² floats of memory) and compares the results bit for bit.
    /// </summary>
    public static ClusterMeasurement Measure(int n, int d, int clusters, int k, int seed, BlockedDpcKnnOptions? options = null, bool compareWithDense = false)
    {
        options ??= new BlockedDpcKnnOptions();
        var points = SyntheticPoints(seed, n, d);

        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        var peakIsPerRun = ResidentMemory.TryResetPeak();
        var residentBefore = ResidentMemory.Read().Current;
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var clock = Stopwatch.StartNew();
        var (result, stats) = BlockedDpcKnn.Run(points, n, d, clusters, k, options);
        var seconds = clock.Elapsed.TotalSeconds;
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        // VmHWM is folded from per-thread RSS counters lazily, so it can trail a resident size read earlier by a few
        // pages: the peak is at least every resident size this run saw.
        var after = ResidentMemory.Read();
        var peak = Math.Max(after.Peak, Math.Max(after.Current, residentBefore));

        double? denseSeconds = null;
        bool? identical = null;
        if (compareWithDense)
        {
            clock.Restart();
            var dense = DpcKnn.ClusterDense(points, n, d, clusters, k);
            denseSeconds = clock.Elapsed.TotalSeconds;
            identical = dense.Density.AsSpan().SequenceEqual(result.Density)
                && dense.Delta.AsSpan().SequenceEqual(result.Delta)
                && dense.Score.AsSpan().SequenceEqual(result.Score)
                && dense.Centres.AsSpan().SequenceEqual(result.Centres)
                && dense.Assignment.AsSpan().SequenceEqual(result.Assignment);
        }

        return new ClusterMeasurement(
            n,
            d,
            seconds,
            FirstPassFlops(n, d, Math.Min(options.BlockRows, Math.Max(n, 1))) / stats.FirstPassSeconds / 1e9,
            (long)n * d * sizeof(float),
            residentBefore,
            peak,
            peakIsPerRun,
            allocated,
            stats,
            denseSeconds,
            identical);
    }

    /// <summary>2·d·Σ rows(bi)·rows(bj) over the tiles bi ≤ bj of blocks of <paramref name="blockRows"/> rows.</summary>
    public static double FirstPassFlops(int n, int d, int blockRows)
    {
        var blocks = (n + blockRows - 1) / blockRows;
        var flops = 0.0;
        for (var bi = 0; bi < blocks; bi++)
        {
            for (var bj = bi; bj < blocks; bj++)
            {
                flops += 2.0 * d * Math.Min(blockRows, n - (bi * blockRows)) * Math.Min(blockRows, n - (bj * blockRows));
            }
        }

        return flops;
    }
}
