using TorchSharp;
using static TorchSharp.torch;

namespace Mining.Kernels.Model;

/// <summary>The activation functions LLaVA checkpoints name in <c>config.json</c>, as HF's <c>ACT2FN</c> defines them.</summary>
public static class Activation
{
    /// <summary>Returns the activation for an HF <c>hidden_act</c> name.</summary>
    public static Func<Tensor, Tensor> ByName(string name) => name switch
    {
        // HF activations.py QuickGELUActivation: x * sigmoid(1.702 x) (CLIP's original approximation).
        "quick_gelu" => x => x * torch.sigmoid(x * 1.702),
        // HF GELUActivation: the exact erf form.
        "gelu" => x => nn.functional.gelu(x),
        // HF PytorchGELUTanh (SigLIP): torch's GELU with the tanh approximation.
        "gelu_pytorch_tanh" => x => nn.functional.gelu(x, TorchSharp.Modules.GELU.Approximate.tanh),
        "silu" or "swish" => x => nn.functional.silu(x),
        _ => throw new ArgumentException($"unsupported activation '{name}' (supported: quick_gelu, gelu, gelu_pytorch_tanh, silu)", nameof(name)),
    };
}
