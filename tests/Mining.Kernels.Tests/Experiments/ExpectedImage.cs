namespace Mining.Kernels.Tests.Experiments;

/// <summary>One fixture image: baseline logits, all token results, and the four sampled tokens' variant logits.</summary>
internal sealed record ExpectedImage(
    string Name,
    float[] BaselineLogits,
    IReadOnlyList<ExpectedToken> Tokens,
    IReadOnlyDictionary<int, ExpectedVariantLogits> VariantLogits);
