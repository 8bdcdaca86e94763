using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Mining.Kernels.Model;

/// <summary>LLaMA self-attention with grouped key/value heads and rotary positions (HF <c>LlamaAttention</c>, eager path).</summary>
public sealed class LlamaAttention : nn.Module<DecoderInput, Tensor>
{
#pragma warning disable IDE1006 // Field names mirror the checkpoint's tensor names.
    private readonly Linear q_proj;
    private readonly Linear k_proj;
    private readonly Linear v_proj;
    private readonly Linear o_proj;
#pragma warning restore IDE1006
    private readonly int heads;
    private readonly int kvHeads;
    private readonly int headDim;
    private readonly double scale;

    /// <summary>Creates the attention block.</summary>
    public LlamaAttention(int hidden, int heads, int kvHeads, int headDim, bool bias)
        : base(nameof(LlamaAttention))
    {
        this.heads = heads;
        this.kvHeads = kvHeads;
        this.headDim = headDim;
        scale = Math.Pow(headDim, -0.5);
        q_proj = nn.Linear(hidden, heads * headDim, hasBias: bias);
        k_proj = nn.Linear(hidden, kvHeads * headDim, hasBias: bias);
        v_proj = nn.Linear(hidden, kvHeads * headDim, hasBias: bias);
        o_proj = nn.Linear(heads * headDim, hidden, hasBias: bias);
        RegisterComponents();
    }

    /// <summary>Hidden [B, L, H] → [B, L, H].</summary>
    public override Tensor forward(DecoderInput input)
    {
        using var scope = torch.NewDisposeScope();
        var hidden = input.Hidden;
        var (batch, length) = (hidden.shape[0], hidden.shape[1]);
        var q = q_proj.forward(hidden).view(batch, length, heads, headDim).transpose(1, 2);
        var k = k_proj.forward(hidden).view(batch, length, kvHeads, headDim).transpose(1, 2);
        var v = v_proj.forward(hidden).view(batch, length, kvHeads, headDim).transpose(1, 2);
        q = RotaryEmbedding.Apply(q, input.Cos, input.Sin);
        k = RotaryEmbedding.Apply(k, input.Cos, input.Sin);
        if (kvHeads != heads)
        {
            // HF repeat_kv: query head h reads key/value head h / (heads / kvHeads).
            var repeats = heads / kvHeads;
            k = k.repeat_interleave(repeats, dim: 1);
            v = v.repeat_interleave(repeats, dim: 1);
        }

        var weights = (torch.matmul(q, k.transpose(2, 3)) * scale) + input.Mask.to(q.dtype);
        var probabilities = weights.softmax(-1, ScalarType.Float32).to(q.dtype);
        var output = torch.matmul(probabilities, v).transpose(1, 2).reshape(batch, length, heads * headDim);
        return o_proj.forward(output).MoveToOuterDisposeScope();
    }
}
