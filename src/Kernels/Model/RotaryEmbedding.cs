using TorchSharp;
using static TorchSharp.torch;

namespace Mining.Kernels.Model;

/// <summary>LLaMA's default rotary position embedding (HF <c>LlamaRotaryEmbedding</c>, rope_type "default").</summary>
public sealed class RotaryEmbedding
{
    private readonly float[] inverseFrequencies;

    /// <summary>Creates the embedding for heads of <paramref name="headDim"/> dimensions and base <paramref name="theta"/>.</summary>
    public RotaryEmbedding(int headDim, double theta)
    {
        HeadDim = headDim;
        // inv_freq = 1 / theta^(2i/d), computed in float32 as HF does.
        inverseFrequencies = new float[headDim / 2];
        for (var i = 0; i < inverseFrequencies.Length; i++)
        {
            var exponent = (float)(2 * i) / headDim;
            inverseFrequencies[i] = 1f / MathF.Pow((float)theta, exponent);
        }
    }

    /// <summary>Dimensions per head.</summary>
    public int HeadDim { get; }

    /// <summary>The inverse frequencies 1/θ^(2i/d), i &lt; d/2.</summary>
    public IReadOnlyList<float> InverseFrequencies => inverseFrequencies;

    /// <summary>cos and sin for positions [B, L] → each [B, 1, L, headDim] in float32, ready to broadcast over heads.</summary>
    public (Tensor Cos, Tensor Sin) CosSin(Tensor positions)
    {
        using var scope = torch.NewDisposeScope();
        var inverse = torch.tensor(inverseFrequencies, device: positions.device);
        var freqs = positions.to(ScalarType.Float32).unsqueeze(-1) * inverse;
        var embedding = torch.cat([freqs, freqs], dim: -1).unsqueeze(1);
        return (embedding.cos().MoveToOuterDisposeScope(), embedding.sin().MoveToOuterDisposeScope());
    }

    /// <summary>Applies the rotation: x·cos + rotate_half(x)·sin, with rotate_half(x) = [−x₂, x₁].</summary>
    public static Tensor Apply(Tensor x, Tensor cos, Tensor sin)
    {
        using var scope = torch.NewDisposeScope();
        var half = x.shape[^1] / 2;
        var x1 = x.narrow(-1, 0, half);
        var x2 = x.narrow(-1, half, half);
        var rotated = torch.cat([-x2, x1], dim: -1);
        var result = (x * cos.to(x.dtype)) + (rotated * sin.to(x.dtype));
        return result.MoveToOuterDisposeScope();
    }
}
