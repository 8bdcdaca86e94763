namespace Mining.Kernels.Model;

/// <summary>Variants of one image to score: each lists the visual tokens of <see cref="Image"/> for the image slot, <see cref="LlavaRuntime.PadSlot"/> standing for the input embedding of <see cref="PadTokenId"/>.</summary>
public sealed record VariantRequest(EncodedImage Image, IReadOnlyList<int[]> Variants, int PadTokenId);
