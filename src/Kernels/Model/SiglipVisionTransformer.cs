using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Mining.Kernels.Model;

/// <summary>SigLIP's vision transformer (HF <c>SiglipVisionTransformer</c>): embeddings, encoder, post-layernorm — no pre-layernorm.</summary>
public sealed class SiglipVisionTransformer : nn.Module
{
#pragma warning disable IDE1006 // Field names mirror the checkpoint's tensor names.
    private readonly SiglipVisionEmbeddings embeddings;
    private readonly VisionEncoder encoder;
    private readonly LayerNorm post_layernorm;
#pragma warning restore IDE1006

    /// <summary>Creates the transformer.</summary>
    public SiglipVisionTransformer(int hidden, int imageSize, int patchSize, int channels, int layerCount, int heads, int intermediate, string activationName, double layerNormEps, Device? device = null, ScalarType? dtype = null)
        : base(nameof(SiglipVisionTransformer))
    {
        embeddings = new SiglipVisionEmbeddings(hidden, imageSize, patchSize, channels, device: device, dtype: dtype);
        encoder = new VisionEncoder(layerCount, hidden, heads, intermediate, activationName, layerNormEps, device: device, dtype: dtype);
        // Loaded because checkpoints carry it; LLaVA-OneVision reads a hidden state before it is applied.
        post_layernorm = nn.LayerNorm(hidden, eps: layerNormEps, device: device, dtype: dtype);
        RegisterComponents();
    }

    /// <summary>HF's <c>hidden_states[index]</c>: index 0 is the embeddings, index k the output of layer k.</summary>
    public Tensor HiddenState(Tensor pixelValues, int index)
    {
        using var scope = torch.NewDisposeScope();
        return encoder.RunLayers(embeddings.forward(pixelValues), index).MoveToOuterDisposeScope();
    }
}
