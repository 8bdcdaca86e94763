namespace Mining.Kernels.Model;

/// <summary>Variants of one image to score: each lists the visual tokens of <see cref="Image"/> for the image slot, <see cref="LlavaRuntime.PadSlot"/> standing for the input embedding of <see cref="PadTokenId"/>.</summary>
public sealed record VariantRequest(EncodedImage Image, IReadOnlyList<int[]> Variants, int PadTokenId)
{
    /// <summary>
    /// Token ids a variant's first answer token is skipped over (<see cref="Experiments.MiningParameters.SkipLeadingTokens"/>):
    /// when its first-position argmax is one of them, its measured logits are the next position's with that token
    /// appended. Empty (the default): the first position.
    /// </summary>
    public IReadOnlyList<int> SkipTokenIds { get; init; } = [];
}
