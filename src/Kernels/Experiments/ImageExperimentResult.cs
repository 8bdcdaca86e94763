namespace Mining.Kernels.Experiments;

/// <summary>The experiments' outcome for one image: the baseline's measured logits, whether they follow a skipped leading token, and one result per candidate token.</summary>
public sealed record ImageExperimentResult(float[] BaselineLogits, IReadOnlyList<TokenExperimentResult> Tokens)
{
    /// <summary>The baseline was measured one position later, after a skipped leading token.</summary>
    public bool BaselineLeadSkipped { get; init; }
}
