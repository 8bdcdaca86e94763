using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Mining.Kernels.Model;

/// <summary>One pre-norm vision transformer layer (HF <c>CLIPEncoderLayer</c>, <c>SiglipEncoderLayer</c>: the same names and maths, the activation from the config).</summary>
public sealed class VisionEncoderLayer : nn.Module<Tensor, Tensor>
{
#pragma warning disable IDE1006 // Field names mirror the checkpoint's tensor names.
    private readonly VisionAttention self_attn;
    private readonly LayerNorm layer_norm1;
    private readonly VisionMlp mlp;
    private readonly LayerNorm layer_norm2;
#pragma warning restore IDE1006

    /// <summary>Creates the layer.</summary>
    public VisionEncoderLayer(int hidden, int heads, int intermediate, string activationName, double layerNormEps, Device? device = null, ScalarType? dtype = null)
        : base(nameof(VisionEncoderLayer))
    {
        self_attn = new VisionAttention(hidden, heads, device: device, dtype: dtype);
        layer_norm1 = nn.LayerNorm(hidden, eps: layerNormEps, device: device, dtype: dtype);
        mlp = new VisionMlp(hidden, intermediate, activationName, device: device, dtype: dtype);
        layer_norm2 = nn.LayerNorm(hidden, eps: layerNormEps, device: device, dtype: dtype);
        RegisterComponents();
    }

    /// <summary>[B, L, hidden] → [B, L, hidden].</summary>
    public override Tensor forward(Tensor hidden)
    {
        using var scope = torch.NewDisposeScope();
        var attended = hidden + self_attn.forward(layer_norm1.forward(hidden));
        return (attended + mlp.forward(layer_norm2.forward(attended))).MoveToOuterDisposeScope();
    }
}
