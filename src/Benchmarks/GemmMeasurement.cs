namespace Mining.Benchmarks;

/// <summary>The throughput of fp32 matrix multiplication: <see cref="Repetitions"/> products of <see cref="Size"/>×<see cref="Size"/> matrices took <see cref="Seconds"/> on <see cref="Threads"/> CPU threads.</summary>
/// <param name="GflopsPerSecond">2·Size³·Repetitions / Seconds / 10⁹.</param>
/// <param name="Size">The side of the square matrices.</param>
/// <param name="Repetitions">How many timed products were run.</param>
/// <param name="Seconds">The wall time of the timed products, warm-up excluded.</param>
/// <param name="Threads">TorchSharp's intra-op CPU thread count during the run.</param>
public sealed record GemmMeasurement(double GflopsPerSecond, int Size, int Repetitions, double Seconds, int Threads);
