namespace Mining.Benchmarks;

/// <summary>How long the probe took to score and select <see cref="Tokens"/> tokens against <see cref="Prototypes"/> prototypes of width <see cref="Dim"/>.</summary>
/// <param name="Tokens">Visual tokens per call.</param>
/// <param name="Prototypes">Prototypes in the codebook.</param>
/// <param name="Dim">Width of tokens and prototypes.</param>
/// <param name="Rounds">Timed calls per precision (after one untimed warm-up call).</param>
/// <param name="Flops">2·Tokens·Prototypes·Dim, the multiply-adds of the similarity product.</param>
/// <param name="Float32BestSeconds">Fastest float32 call.</param>
/// <param name="Float32MedianSeconds">Median float32 call.</param>
/// <param name="Float16BestSeconds">Fastest float16 call.</param>
/// <param name="Float16MedianSeconds">Median float16 call.</param>
/// <param name="Kept">Tokens the threshold kept (the same for both precisions, or the benchmark fails).</param>
/// <param name="Threads">Worker threads the probe's parallel loop could use.</param>
public sealed record ProbeMeasurement(
    int Tokens,
    int Prototypes,
    int Dim,
    int Rounds,
    double Flops,
    double Float32BestSeconds,
    double Float32MedianSeconds,
    double Float16BestSeconds,
    double Float16MedianSeconds,
    int Kept,
    int Threads)
{
    /// <summary>GFLOP/s of the fastest float32 call.</summary>
    public double Float32Gflops => Flops / Float32BestSeconds / 1e9;

    /// <summary>GFLOP/s of the fastest float16 call.</summary>
    public double Float16Gflops => Flops / Float16BestSeconds / 1e9;
}
