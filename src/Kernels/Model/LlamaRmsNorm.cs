using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Mining.Kernels.Model;

/// <summary>LLaMA's RMSNorm, computed in fp32 (HF <c>LlamaRMSNorm</c>).</summary>
public sealed class LlamaRmsNorm : nn.Module<Tensor, Tensor>
{
#pragma warning disable IDE1006 // Field names mirror the checkpoint's tensor names.
    private readonly Parameter weight;
#pragma warning restore IDE1006
    private readonly double eps;

    /// <summary>Creates the norm over the last dimension of size <paramref name="hidden"/>.</summary>
    public LlamaRmsNorm(int hidden, double eps, Device? device = null, ScalarType? dtype = null)
        : base(nameof(LlamaRmsNorm))
    {
        weight = new Parameter(torch.ones(hidden, dtype: dtype, device: device), requires_grad: false);
        this.eps = eps;
        RegisterComponents();
    }

    /// <summary>x / sqrt(mean(x²) + eps) · weight.</summary>
    public override Tensor forward(Tensor hidden)
    {
        using var scope = torch.NewDisposeScope();
        var inputType = hidden.dtype;
        var x = hidden.to(ScalarType.Float32);
        var variance = x.pow(2).mean([-1], keepdim: true);
        x = x * torch.rsqrt(variance + eps);
        return (weight * x.to(inputType)).MoveToOuterDisposeScope();
    }
}
