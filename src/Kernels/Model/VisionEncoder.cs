using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Mining.Kernels.Model;

/// <summary>The stack of vision encoder layers (HF <c>CLIPEncoder</c>, <c>SiglipEncoder</c>).</summary>
public sealed class VisionEncoder : nn.Module
{
#pragma warning disable IDE1006 // Field names mirror the checkpoint's tensor names.
    private readonly ModuleList<VisionEncoderLayer> layers;
#pragma warning restore IDE1006

    /// <summary>Creates <paramref name="layerCount"/> layers.</summary>
    public VisionEncoder(int layerCount, int hidden, int heads, int intermediate, string activationName, double layerNormEps, Device? device = null, ScalarType? dtype = null)
        : base(nameof(VisionEncoder))
    {
        layers = new ModuleList<VisionEncoderLayer>();
        for (var i = 0; i < layerCount; i++)
        {
            layers.Add(new VisionEncoderLayer(hidden, heads, intermediate, activationName, layerNormEps, device: device, dtype: dtype));
        }

        RegisterComponents();
    }

    /// <summary>Number of layers.</summary>
    public int LayerCount => layers.Count;

    /// <summary>Runs the first <paramref name="count"/> layers: the result is HF's <c>hidden_states[count]</c>.</summary>
    public Tensor RunLayers(Tensor hidden, int count)
    {
        using var scope = torch.NewDisposeScope();
        var current = hidden;
        for (var i = 0; i < count; i++)
        {
            current = layers[i].forward(current);
        }

        return current.MoveToOuterDisposeScope();
    }
}
