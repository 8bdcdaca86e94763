using Mining.Kernels.Experiments;

namespace Mining.Kernels.Model;

/// <summary>Scores one image's experiment variants with a <see cref="LlavaRuntime"/>; <see cref="VisualVariant.Pad"/> slots take the embedding of the pad token id.</summary>
public sealed class RuntimeVariantScorer(LlavaRuntime runtime, EncodedImage image, int padTokenId) : IVariantScorer
{
    /// <inheritdoc />
    public float[][] FirstTokenLogits(IReadOnlyList<int[]> variants) => runtime.FirstTokenLogits(image, variants, padTokenId);
}
