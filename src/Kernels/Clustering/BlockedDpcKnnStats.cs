namespace Mining.Kernels.Clustering;

/// <summary>What the blocked DPC-kNN had to do beyond its first pass, for benchmarks and tuning.</summary>
/// <param name="Tiles">GEMM tiles of the first pass (the upper triangle of blocks, diagonal included).</param>
/// <param name="CandidatesPerPoint">Nearest candidates kept per point.</param>
/// <param name="DensityRescans">Points whose k nearest the candidates could not settle, scanned again in full.</param>
/// <param name="DeltaRescans">Points whose nearest denser point the candidates could not settle, scanned again in full.</param>
/// <param name="MaximumRescans">Points scanned again in full for the largest distance (the densest point's δ).</param>
/// <param name="ExactDistances">Pairs whose distance was computed exactly, element by element.</param>
/// <param name="FirstPassSeconds">Wall time of the first pass (GEMM tiles and candidate lists).</param>
public sealed record BlockedDpcKnnStats(
    long Tiles,
    int CandidatesPerPoint,
    int DensityRescans,
    int DeltaRescans,
    int MaximumRescans,
    long ExactDistances,
    double FirstPassSeconds);
