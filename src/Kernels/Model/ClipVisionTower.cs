using TorchSharp;
using static TorchSharp.torch;

namespace Mining.Kernels.Model;

/// <summary>LLaVA's vision tower (HF <c>CLIPVisionModel</c>), read at <c>vision_feature_layer</c>.</summary>
public sealed class ClipVisionTower : nn.Module<Tensor, VisionFeatures>
{
#pragma warning disable IDE1006 // Field names mirror the checkpoint's tensor names.
    private readonly ClipVisionTransformer vision_model;
#pragma warning restore IDE1006
    private readonly int hiddenStateIndex;

    /// <summary>Creates the tower; <paramref name="featureLayer"/> indexes HF's hidden_states tuple (−2: the input of the last layer).</summary>
    public ClipVisionTower(int hidden, int imageSize, int patchSize, int channels, int layerCount, int heads, int intermediate, string activationName, double layerNormEps, int featureLayer, Device? device = null, ScalarType? dtype = null)
        : base(nameof(ClipVisionTower))
    {
        vision_model = new ClipVisionTransformer(hidden, imageSize, patchSize, channels, layerCount, heads, intermediate, activationName, layerNormEps, device: device, dtype: dtype);
        hiddenStateIndex = HiddenStateIndex(featureLayer, layerCount);
        RegisterComponents();
    }

    /// <summary>The position of <c>vision_feature_layer</c> in HF's hidden_states tuple, which has <paramref name="layerCount"/> + 1 entries; a negative index counts from its end.</summary>
    internal static int HiddenStateIndex(int featureLayer, int layerCount)
    {
        var index = featureLayer >= 0 ? featureLayer : layerCount + 1 + featureLayer;
        if (index < 0 || index > layerCount)
        {
            throw new ArgumentOutOfRangeException(nameof(featureLayer), $"vision_feature_layer {featureLayer} is outside the {layerCount + 1} hidden states of a {layerCount}-layer vision tower");
        }

        return index;
    }

    /// <summary>Pixel values [B, 3, H, W] → [CLS] [B, hidden] and patches [B, grid², hidden] at the feature layer (no post-layernorm).</summary>
    public override VisionFeatures forward(Tensor pixelValues)
    {
        using var scope = torch.NewDisposeScope();
        var state = vision_model.HiddenState(pixelValues, hiddenStateIndex);
        var cls = state.select(1, 0).MoveToOuterDisposeScope();
        var patches = state.narrow(1, 1, state.shape[1] - 1).MoveToOuterDisposeScope();
        return new VisionFeatures(cls, patches);
    }
}
