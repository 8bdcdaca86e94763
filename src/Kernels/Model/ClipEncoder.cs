using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Mining.Kernels.Model;

/// <summary>The stack of CLIP encoder layers (HF <c>CLIPEncoder</c>).</summary>
public sealed class ClipEncoder : nn.Module
{
#pragma warning disable IDE1006 // Field names mirror the checkpoint's tensor names.
    private readonly ModuleList<ClipEncoderLayer> layers;
#pragma warning restore IDE1006

    /// <summary>Creates <paramref name="layerCount"/> layers.</summary>
    public ClipEncoder(int layerCount, int hidden, int heads, int intermediate, string activationName, double layerNormEps, Device? device = null, ScalarType? dtype = null)
        : base(nameof(ClipEncoder))
    {
        layers = new ModuleList<ClipEncoderLayer>();
        for (var i = 0; i < layerCount; i++)
        {
            layers.Add(new ClipEncoderLayer(hidden, heads, intermediate, activationName, layerNormEps, device: device, dtype: dtype));
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
