using Mining.Kernels.Checkpoints;

namespace Mining.Benchmarks;

/// <summary>Floating-point operations of encoding one image (a multiply-add counting 2), for the benchmarks' FLOP accounting.</summary>
public static class VisionFlops
{
    /// <summary>
    /// The patch embedding, the vision layers up to <c>vision_feature_layer</c> (the ones the CLIP or SigLIP tower
    /// runs: q, k, v, o and the two MLP matrices per token, q·k and p·v over all token pairs; CLIP's tokens include its
    /// [CLS], SigLIP has none) and the projector's two matrices per patch. Norms, activations and softmax are left out.
    /// </summary>
    public static double PerImage(LlavaConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var v = config.Vision;
        double hidden = v.HiddenSize, patches = v.NumPatches, tokens = v.IsSiglip ? patches : patches + 1;
        var layers = config.VisionFeatureLayer >= 0 ? config.VisionFeatureLayer : v.NumHiddenLayers + 1 + config.VisionFeatureLayer;
        var patchEmbedding = 2 * patches * v.NumChannels * v.PatchSize * v.PatchSize * hidden;
        var perLayer = (2 * tokens * ((4 * hidden * hidden) + (2 * hidden * v.IntermediateSize))) + (2 * 2 * tokens * tokens * hidden);
        double text = config.Text.HiddenSize;
        var projector = 2 * patches * ((hidden * text) + (text * text));
        return patchEmbedding + (layers * perLayer) + projector;
    }
}
