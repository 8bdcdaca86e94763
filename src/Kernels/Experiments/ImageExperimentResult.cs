namespace Mining.Kernels.Experiments;

/// <summary>The experiments' outcome for one image: the baseline's first-token logits and one result per candidate token.</summary>
public sealed record ImageExperimentResult(float[] BaselineLogits, IReadOnlyList<TokenExperimentResult> Tokens);
