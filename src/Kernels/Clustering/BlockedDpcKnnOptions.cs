namespace Mining.Kernels.Clustering;

/// <summary>Tuning of the blocked DPC-kNN; no setting changes the result, only time and memory.</summary>
public sealed record BlockedDpcKnnOptions
{
    /// <summary>The largest <see cref="BlockRows"/>: a tile of 16384² floats is 1 GiB, half of what one span of its bytes can reach.</summary>
    public const int MaxBlockRows = 16384;

    /// <summary>Rows per GEMM tile side, 1 to <see cref="MaxBlockRows"/>: a tile holds BlockRows² float32 products (64 MiB at 4096).</summary>
    public int BlockRows { get; init; } = 4096;

    /// <summary>
    /// Nearest candidates kept per point (at least k − 1 are kept whatever this says). More candidates cost
    /// 20 bytes each per point but send fewer points to a full second scan for δ (roughly the points that are
    /// denser than all their candidates).
    /// </summary>
    public int Candidates { get; init; } = 64;

    /// <summary>Receives the fraction of the first pass's tiles done, from 0 to 1.</summary>
    public IProgress<double>? Progress { get; init; }

    /// <summary>Throws when a setting is out of range, naming it.</summary>
    public void Validate()
    {
        if (BlockRows is < 1 or > MaxBlockRows)
        {
            throw new ArgumentOutOfRangeException(nameof(BlockRows), BlockRows, $"BlockRows must be between 1 and {MaxBlockRows}");
        }

        if (Candidates < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(Candidates), Candidates, "Candidates must be at least 1");
        }
    }
}
