using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Mining.Kernels.Model;

/// <summary>The vision feed-forward block: fc1 → activation → fc2 (HF <c>CLIPMLP</c>, <c>SiglipMLP</c>).</summary>
public sealed class VisionMlp : nn.Module<Tensor, Tensor>
{
#pragma warning disable IDE1006 // Field names mirror the checkpoint's tensor names.
    private readonly Linear fc1;
    private readonly Linear fc2;
#pragma warning restore IDE1006
    private readonly Func<Tensor, Tensor> activation;

    /// <summary>Creates the block with the named activation (LLaVA-1.5's CLIP: quick_gelu; SigLIP: gelu_pytorch_tanh).</summary>
    public VisionMlp(int hidden, int intermediate, string activationName, Device? device = null, ScalarType? dtype = null)
        : base(nameof(VisionMlp))
    {
        fc1 = nn.Linear(hidden, intermediate, hasBias: true, device: device, dtype: dtype);
        fc2 = nn.Linear(intermediate, hidden, hasBias: true, device: device, dtype: dtype);
        activation = Activation.ByName(activationName);
        RegisterComponents();
    }

    /// <summary>[.., hidden] → [.., hidden].</summary>
    public override Tensor forward(Tensor hidden)
    {
        using var scope = torch.NewDisposeScope();
        return fc2.forward(activation(fc1.forward(hidden))).MoveToOuterDisposeScope();
    }
}
