using Mining.Kernels.Clustering;

namespace Mining.Benchmarks;

/// <summary>What <see cref="ClusterBenchmark"/> measured for one point count.</summary>
/// <param name="Points">n.</param>
/// <param name="Dimension">d.</param>
/// <param name="Seconds">Wall time of the blocked clustering.</param>
/// <param name="FirstPassGflops">Multiply-add FLOPs of the first pass's GEMM tiles (×2) per second of that pass.</param>
/// <param name="InputBytes">The n×d float32 input.</param>
/// <param name="ResidentBeforeBytes">Resident memory after the input was made, before clustering.</param>
/// <param name="PeakResidentBytes">Peak resident memory while clustering (input included); see <paramref name="PeakIsPerRun"/>.</param>
/// <param name="PeakIsPerRun">Whether the kernel's peak was reset before this run (Linux); if not, the peak is the process's since it started.</param>
/// <param name="ManagedAllocatedBytes">Managed bytes allocated by the clustering.</param>
/// <param name="Stats">The blocked clustering's own account of its work.</param>
/// <param name="DenseSeconds">Wall time of the dense path on the same points, or null when it was not run.</param>
/// <param name="IdenticalToDense">Whether every array of the result equals the dense path's bit for bit, or null when it was not run.</param>
public sealed record ClusterMeasurement(
    int Points,
    int Dimension,
    double Seconds,
    double FirstPassGflops,
    long InputBytes,
    long ResidentBeforeBytes,
    long PeakResidentBytes,
    bool PeakIsPerRun,
    long ManagedAllocatedBytes,
    BlockedDpcKnnStats Stats,
    double? DenseSeconds,
    bool? IdenticalToDense);
