using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Mining.Kernels.Model;

/// <summary>LLaVA's multi-modal projector: linear → GELU → linear (HF <c>LlavaMultiModalProjector</c>).</summary>
public sealed class LlavaProjector : nn.Module<Tensor, Tensor>
{
#pragma warning disable IDE1006 // Field names mirror the checkpoint's tensor names.
    private readonly Linear linear_1;
    private readonly Linear linear_2;
#pragma warning restore IDE1006
    private readonly Func<Tensor, Tensor> activation;

    /// <summary>Creates the projector from the vision hidden size to the LLM hidden size.</summary>
    public LlavaProjector(int visionHidden, int textHidden, string activationName, Device? device = null, ScalarType? dtype = null)
        : base(nameof(LlavaProjector))
    {
        linear_1 = nn.Linear(visionHidden, textHidden, hasBias: true, device: device, dtype: dtype);
        linear_2 = nn.Linear(textHidden, textHidden, hasBias: true, device: device, dtype: dtype);
        activation = Activation.ByName(activationName);
        RegisterComponents();
    }

    /// <summary>Patch features [.., visionHidden] → visual tokens [.., textHidden].</summary>
    public override Tensor forward(Tensor features)
    {
        using var scope = torch.NewDisposeScope();
        return linear_2.forward(activation(linear_1.forward(features))).MoveToOuterDisposeScope();
    }
}
