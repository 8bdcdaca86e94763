namespace Mining.Kernels.Experiments;

/// <summary>What the experiments measured for one candidate token of one image.</summary>
/// <param name="TokenIndex">Raster index of the token on the image's grid.</param>
/// <param name="Rank">Candidate rank, 1 first: similarity to [CLS] (1 = most similar), or token index + 1 for a tower without [CLS] (<see cref="TokenRanking"/>).</param>
/// <param name="ClsSimilarity">Cosine between the token's patch feature and the [CLS] feature; NaN for a tower without [CLS] (SigLIP).</param>
/// <param name="Window">The 9 tokens of its 3×3 window, raster order.</param>
/// <param name="Top1Prob">Single-input top-1 probability over the head logits.</param>
/// <param name="JsdRegion">JSD(window, window with the token padded).</param>
/// <param name="JsdGlobal">JSD(baseline, all tokens with the window padded).</param>
/// <param name="Redundant">Whether <see cref="RedundancyRule.IsRedundant"/> holds.</param>
public sealed record TokenExperimentResult(
    int TokenIndex,
    int Rank,
    float ClsSimilarity,
    int[] Window,
    double Top1Prob,
    double JsdRegion,
    double JsdGlobal,
    bool Redundant)
{
    /// <summary>Which of the token's variants were measured one position later, after a skipped leading token (none by default).</summary>
    public LeadSkips LeadSkipped { get; init; }
}
