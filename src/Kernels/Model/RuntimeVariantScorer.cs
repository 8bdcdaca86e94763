using Mining.Kernels.Experiments;

namespace Mining.Kernels.Model;

/// <summary>
/// Scores one image's experiment variants with a <see cref="LlavaRuntime"/>; <see cref="VisualVariant.Pad"/> slots take
/// the embedding of the pad token id, and a leading token among <paramref name="skipTokenIds"/> is skipped (none: the
/// first position always).
/// </summary>
public sealed class RuntimeVariantScorer(LlavaRuntime runtime, EncodedImage image, int padTokenId, IReadOnlyList<int>? skipTokenIds = null) : IVariantScorer
{
    /// <inheritdoc />
    public MeasuredLogits[] Measure(IReadOnlyList<int[]> variants) =>
        runtime.MeasuredLogits([new VariantRequest(image, variants, padTokenId) { SkipTokenIds = skipTokenIds ?? [] }])[0];
}
