namespace Mining.Kernels.Experiments;

/// <summary>The model as the experiments see it: the measured logits of variants of one image's visual input.</summary>
/// <remarks>
/// An implementation holds the image's visual tokens [N, D], the pad embedding (row
/// <see cref="MiningParameters.PadTokenId"/> of the input embeddings) and the ids of
/// <see cref="MiningParameters.SkipLeadingTokens"/>; it places each variant between the prompt's prefix and suffix and
/// returns the logits at the last prompt position — or, when their argmax is a skip token, at the next position with
/// that token appended (MODELS.md, "The measured logits"). It batches as it sees fit.
/// </remarks>
public interface IVariantScorer
{
    /// <summary>
    /// The measured logits (length = vocabulary) of each variant, in the order given. A variant is an array of
    /// visual-token indices where <see cref="VisualVariant.Pad"/> means the pad embedding.
    /// </summary>
    MeasuredLogits[] Measure(IReadOnlyList<int[]> variants);
}
