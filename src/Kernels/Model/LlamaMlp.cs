using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Mining.Kernels.Model;

/// <summary>LLaMA's gated feed-forward block: down(act(gate(x)) · up(x)) (HF <c>LlamaMLP</c>).</summary>
public sealed class LlamaMlp : nn.Module<Tensor, Tensor>
{
#pragma warning disable IDE1006 // Field names mirror the checkpoint's tensor names.
    private readonly Linear gate_proj;
    private readonly Linear up_proj;
    private readonly Linear down_proj;
#pragma warning restore IDE1006
    private readonly Func<Tensor, Tensor> activation;

    /// <summary>Creates the block (LLaMA: SwiGLU with silu).</summary>
    public LlamaMlp(int hidden, int intermediate, string activationName, bool bias, Device? device = null, ScalarType? dtype = null)
        : base(nameof(LlamaMlp))
    {
        gate_proj = nn.Linear(hidden, intermediate, hasBias: bias, device: device, dtype: dtype);
        up_proj = nn.Linear(hidden, intermediate, hasBias: bias, device: device, dtype: dtype);
        down_proj = nn.Linear(intermediate, hidden, hasBias: bias, device: device, dtype: dtype);
        activation = Activation.ByName(activationName);
        RegisterComponents();
    }

    /// <summary>[.., H] → [.., H].</summary>
    public override Tensor forward(Tensor hidden)
    {
        using var scope = torch.NewDisposeScope();
        return down_proj.forward(activation(gate_proj.forward(hidden)) * up_proj.forward(hidden)).MoveToOuterDisposeScope();
    }
}
