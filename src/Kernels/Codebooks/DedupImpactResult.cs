namespace Mining.Kernels.Codebooks;

/// <summary>How many probe keep-decisions changed when the deduplicated codebook replaced the original.</summary>
/// <param name="TokenCount">Tokens probed (one group).</param>
/// <param name="ThresholdChanged">Tokens whose threshold-mode decision (keep if s &lt; τ) differs.</param>
/// <param name="RatioChanged">Tokens whose ratio-mode decision (keep the round(N·ratio) lowest s) differs.</param>
/// <param name="RatioKeepCount">round(N·ratio): how many tokens ratio mode keeps with either codebook.</param>
public sealed record DedupImpactResult(int TokenCount, int ThresholdChanged, int RatioChanged, int RatioKeepCount)
{
    /// <summary>ThresholdChanged / TokenCount (0 for no tokens).</summary>
    public double ThresholdChangedFraction => TokenCount == 0 ? 0 : (double)ThresholdChanged / TokenCount;

    /// <summary>RatioChanged / TokenCount (0 for no tokens).</summary>
    public double RatioChangedFraction => TokenCount == 0 ? 0 : (double)RatioChanged / TokenCount;
}
