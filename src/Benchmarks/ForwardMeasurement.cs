namespace Mining.Benchmarks;

/// <summary>What <see cref="ForwardBenchmark"/> measured for one model.</summary>
public sealed record ForwardMeasurement(
    int Variants,
    long Tokens,
    double Flops,
    double BatchedSeconds,
    double OneAtATimeSeconds,
    long BatchedForwardCalls,
    double BatchedTokensPerSecond,
    double OneAtATimeTokensPerSecond,
    double BatchedSpeedup,
    double BatchedFractionOfGemmPeak,
    double OneAtATimeFractionOfGemmPeak);
