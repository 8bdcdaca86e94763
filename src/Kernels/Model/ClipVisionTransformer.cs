using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Mining.Kernels.Model;

/// <summary>CLIP's vision transformer (HF <c>CLIPVisionTransformer</c>): embeddings, pre-layernorm, encoder, post-layernorm.</summary>
public sealed class ClipVisionTransformer : nn.Module
{
#pragma warning disable IDE1006 // Field names mirror the checkpoint's tensor names (pre_layrnorm is HF's spelling).
    private readonly ClipVisionEmbeddings embeddings;
    private readonly LayerNorm pre_layrnorm;
    private readonly VisionEncoder encoder;
    private readonly LayerNorm post_layernorm;
#pragma warning restore IDE1006

    /// <summary>Creates the transformer.</summary>
    public ClipVisionTransformer(int hidden, int imageSize, int patchSize, int channels, int layerCount, int heads, int intermediate, string activationName, double layerNormEps, Device? device = null, ScalarType? dtype = null)
        : base(nameof(ClipVisionTransformer))
    {
        embeddings = new ClipVisionEmbeddings(hidden, imageSize, patchSize, channels, device: device, dtype: dtype);
        pre_layrnorm = nn.LayerNorm(hidden, eps: layerNormEps, device: device, dtype: dtype);
        encoder = new VisionEncoder(layerCount, hidden, heads, intermediate, activationName, layerNormEps, device: device, dtype: dtype);
        // Loaded because checkpoints carry it; LLaVA reads a hidden state before it is applied.
        post_layernorm = nn.LayerNorm(hidden, eps: layerNormEps, device: device, dtype: dtype);
        RegisterComponents();
    }

    /// <summary>Number of encoder layers.</summary>
    public int LayerCount => encoder.LayerCount;

    /// <summary>HF's <c>hidden_states[index]</c>: index 0 is the pre-layernorm output, index k the output of layer k.</summary>
    public Tensor HiddenState(Tensor pixelValues, int index)
    {
        using var scope = torch.NewDisposeScope();
        var hidden = pre_layrnorm.forward(embeddings.forward(pixelValues));
        return encoder.RunLayers(hidden, index).MoveToOuterDisposeScope();
    }
}
