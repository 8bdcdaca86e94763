using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Mining.Kernels.Model;

/// <summary>LLaMA self-attention with grouped key/value heads, rotary positions and an optional cache of earlier positions (HF <c>LlamaAttention</c>; with biases on q/k/v only, HF <c>Qwen2Attention</c>).</summary>
public sealed class LlamaAttention : nn.Module<DecoderInput, DecoderOutput>
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

    /// <summary>Creates the attention block.</summary>
    public LlamaAttention(int hidden, int heads, int kvHeads, int headDim, bool qkvBias, bool outputBias, Device? device = null, ScalarType? dtype = null)
        : base(nameof(LlamaAttention))
    {
        this.heads = heads;
        this.kvHeads = kvHeads;
        this.headDim = headDim;
        q_proj = nn.Linear(hidden, heads * headDim, hasBias: qkvBias, device: device, dtype: dtype);
        k_proj = nn.Linear(hidden, kvHeads * headDim, hasBias: qkvBias, device: device, dtype: dtype);
        v_proj = nn.Linear(hidden, kvHeads * headDim, hasBias: qkvBias, device: device, dtype: dtype);
        o_proj = nn.Linear(heads * headDim, hidden, hasBias: outputBias, device: device, dtype: dtype);
        RegisterComponents();
    }

    /// <summary>Hidden [B, L, H] → [B, L, H] (or [B, 1, H] for <see cref="DecoderInput.QueryRows"/>), with the keys and values of the cached and the new positions.</summary>
    public override DecoderOutput forward(DecoderInput input)
    {
        using var scope = torch.NewDisposeScope();
        var hidden = input.Hidden;
        var (batch, length) = (hidden.shape[0], hidden.shape[1]);
        var k = k_proj.forward(hidden).view(batch, length, kvHeads, headDim).transpose(1, 2);
        var v = v_proj.forward(hidden).view(batch, length, kvHeads, headDim).transpose(1, 2);
        k = RotaryEmbedding.Apply(k, input.Cos, input.Sin);

        // Queries only where outputs are needed (all rows, or each sequence's last): [B, Lq, H] → [B, heads, Lq, d].
        var queryHidden = input.SelectQueryRows(hidden);
        var queryLength = queryHidden.shape[1];
        var (cos, sin) = input.QueryRows is null
            ? (input.Cos, input.Sin)
            : (QueryRotation(input.Cos, input.QueryRows, batch), QueryRotation(input.Sin, input.QueryRows, batch));
        var q = q_proj.forward(queryHidden).view(batch, queryLength, heads, headDim).transpose(1, 2);
        q = RotaryEmbedding.Apply(q, cos, sin);
        var mask = input.QueryRows is null
            ? input.Mask
            : input.SelectQueryRows(input.Mask.expand(batch, -1, -1, -1).transpose(1, 2)).transpose(1, 2);
        if (input.Past is { } past)
        {
            // A batch-1 cache holds a prefix every sequence shares; expand is a view, cat makes the one copy.
            k = torch.cat([past.Keys.expand(batch, -1, -1, -1), k], dim: 2);
            v = torch.cat([past.Values.expand(batch, -1, -1, -1), v], dim: 2);
        }

        // HF repeat_kv: query head h reads key/value head h / groups. Rather than copying keys and values to every
        // head, each group's queries are folded into one longer run over their shared keys and values:
        // [B, heads, Lq, d] → [B, kvHeads, groups·Lq, d], mask rows repeated to match.
        var groups = heads / kvHeads;
        var folded = q.reshape(batch, kvHeads, groups * queryLength, headDim);
        var foldedMask = groups == 1 ? mask : mask.repeat(1, 1, groups, 1);

        // softmax(q·kᵀ/√d + mask)·v, as HF's eager path; the fused kernel never materialises the score matrix.
        var attended = nn.functional.scaled_dot_product_attention(folded, k, v, foldedMask.to(q.dtype))
            .view(batch, heads, queryLength, headDim);
        var output = o_proj.forward(attended.transpose(1, 2).reshape(batch, queryLength, heads * headDim));
        return new DecoderOutput(output.MoveToOuterDisposeScope(), new LayerKeyValues(k, v).MoveToOuterDisposeScope());
    }

    /// <summary>Rotary cos or sin [1, 1, L, d] at one row per sequence → [B, 1, 1, d].</summary>
    private static Tensor QueryRotation(Tensor table, Tensor rows, long batch) =>
        table.expand(batch, -1, -1, -1).gather(2, rows.view(batch, 1, 1, 1).expand(batch, 1, 1, table.shape[3]));
}
