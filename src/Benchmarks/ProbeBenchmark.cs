using System.Diagnostics;
using Mining.Probe.Pruning;

namespace Mining.Benchmarks;

/// <summary>Latency of <see cref="PrototypeProbe"/> on seeded synthetic tokens and prototypes, in float32 and float16.</summary>
public static class ProbeBenchmark
{
    /// <summary>
    /// Scores <paramref name="tokens"/> tokens against <paramref name="prototypes"/> prototypes of width
    /// <paramref name="dim"/> and keeps those below τ = 0.45, <paramref name="rounds"/> timed times per precision.
    /// Tokens are prototype directions plus noise in random proportions, so the scores spread over [0, 1] as real ones do.
    /// </summary>
    /// <exception cref="InvalidOperationException">The float16 tokens kept other tokens than their exact float32 widening (the probe would be wrong).</exception>
    public static ProbeMeasurement Measure(int tokens, int prototypes, int dim, int rounds, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(tokens, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(prototypes, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(dim, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(rounds, 1);

        var random = new Random(seed);
        var codebook = new float[(long)prototypes * dim];
        for (var i = 0; i < codebook.Length; i++)
        {
            codebook[i] = Gaussian(random);
        }

        var half = new Half[(long)tokens * dim];
        for (var t = 0; t < tokens; t++)
        {
            var p = random.Next(prototypes);
            var weight = (float)random.NextDouble();
            for (var j = 0; j < dim; j++)
            {
                half[(t * dim) + j] = (Half)((weight * codebook[(p * dim) + j]) + ((1 - weight) * Gaussian(random)));
            }
        }

        // The float32 tokens are the float16 ones widened exactly, so both precisions must keep the same tokens.
        var single = half.Select(h => (float)h).ToArray();
        var probe = new PrototypeProbe(codebook, prototypes, dim);
        var rule = KeepRule.Threshold(0.45);
        var (singleTimes, keptSingle) = Time(() => probe.Select(single.AsSpan(), tokens, rule), rounds);
        var (halfTimes, keptHalf) = Time(() => probe.Select(half.AsSpan(), tokens, rule), rounds);
        if (!keptSingle.AsSpan().SequenceEqual(keptHalf))
        {
            throw new InvalidOperationException("the probe kept other tokens for float16 input than for its exact float32 widening");
        }

        return new ProbeMeasurement(
            tokens, prototypes, dim, rounds, 2.0 * tokens * prototypes * dim,
            singleTimes.Min(), Median(singleTimes), halfTimes.Min(), Median(halfTimes), keptSingle.Length, Environment.ProcessorCount);
    }

    private static (double[] Seconds, int[] Kept) Time(Func<int[]> select, int rounds)
    {
        var kept = select(); // warm-up: JIT, thread pool growth, first touch of the buffers
        var seconds = new double[rounds];
        for (var r = 0; r < rounds; r++)
        {
            var clock = Stopwatch.StartNew();
            kept = select();
            seconds[r] = clock.Elapsed.TotalSeconds;
        }

        return (seconds, kept);
    }

    private static double Median(double[] values)
    {
        var sorted = values.Order().ToArray();
        var middle = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    // Box–Muller: one standard normal from two uniforms.
    private static float Gaussian(Random random) =>
        (float)(Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble()));
}
