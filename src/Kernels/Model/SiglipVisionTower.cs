using TorchSharp;
using static TorchSharp.torch;

namespace Mining.Kernels.Model;

/// <summary>LLaVA-OneVision's vision tower (HF <c>SiglipVisionModel</c>), read at <c>vision_feature_layer</c>: every patch, no [CLS].</summary>
public sealed class SiglipVisionTower : nn.Module<Tensor, VisionFeatures>
{
#pragma warning disable IDE1006 // Field names mirror the checkpoint's tensor names.
    private readonly SiglipVisionTransformer vision_model;
#pragma warning restore IDE1006
    private readonly int hiddenStateIndex;

    /// <summary>Creates the tower; <paramref name="featureLayer"/> indexes HF's hidden_states tuple (−1: the output of the last layer stored).</summary>
    public SiglipVisionTower(int hidden, int imageSize, int patchSize, int channels, int layerCount, int heads, int intermediate, string activationName, double layerNormEps, int featureLayer, Device? device = null, ScalarType? dtype = null)
        : base(nameof(SiglipVisionTower))
    {
        vision_model = new SiglipVisionTransformer(hidden, imageSize, patchSize, channels, layerCount, heads, intermediate, activationName, layerNormEps, device: device, dtype: dtype);
        hiddenStateIndex = ClipVisionTower.HiddenStateIndex(featureLayer, layerCount);
        RegisterComponents();
    }

    /// <summary>Pixel values [B, 3, H, W] → patches [B, grid², hidden] at the feature layer (no post-layernorm) and no [CLS].</summary>
    public override VisionFeatures forward(Tensor pixelValues)
    {
        using var scope = torch.NewDisposeScope();
        var patches = vision_model.HiddenState(pixelValues, hiddenStateIndex).MoveToOuterDisposeScope();
        return new VisionFeatures(null, patches);
    }
}
