namespace Mining.Kernels.Experiments;

/// <summary>The model as the experiments see it: first-answer-token logits for variants of one image's visual input.</summary>
/// <remarks>
/// An implementation holds the image's visual tokens [N, D] and the pad embedding (row
/// <see cref="MiningParameters.PadTokenId"/> of the input embeddings), places each variant between the prompt's
/// prefix and suffix, and returns the logits at the last prompt position. It batches as it sees fit.
/// </remarks>
public interface IVariantScorer
{
    /// <summary>
    /// The first-answer-token logits (length = vocabulary) of each variant, in the order given. A variant is an
    /// array of visual-token indices where <see cref="VisualVariant.Pad"/> means the pad embedding.
    /// </summary>
    float[][] FirstTokenLogits(IReadOnlyList<int[]> variants);
}
