using TorchSharp;
using static TorchSharp.torch;

namespace Mining.Kernels.Model;

/// <summary>One pre-norm LLaMA decoder layer (HF <c>LlamaDecoderLayer</c>).</summary>
public sealed class LlamaDecoderLayer : nn.Module<DecoderInput, DecoderOutput>
{
#pragma warning disable IDE1006 // Field names mirror the checkpoint's tensor names.
    private readonly LlamaAttention self_attn;
    private readonly LlamaMlp mlp;
    private readonly LlamaRmsNorm input_layernorm;
    private readonly LlamaRmsNorm post_attention_layernorm;
#pragma warning restore IDE1006

    /// <summary>Creates the layer.</summary>
    public LlamaDecoderLayer(int hidden, int intermediate, int heads, int kvHeads, int headDim, double rmsNormEps, string activationName, bool qkvBias, bool outputBias, bool mlpBias, Device? device = null, ScalarType? dtype = null)
        : base(nameof(LlamaDecoderLayer))
    {
        self_attn = new LlamaAttention(hidden, heads, kvHeads, headDim, qkvBias, outputBias, device: device, dtype: dtype);
        mlp = new LlamaMlp(hidden, intermediate, activationName, mlpBias, device: device, dtype: dtype);
        input_layernorm = new LlamaRmsNorm(hidden, rmsNormEps, device: device, dtype: dtype);
        post_attention_layernorm = new LlamaRmsNorm(hidden, rmsNormEps, device: device, dtype: dtype);
        RegisterComponents();
    }

    /// <summary>Hidden [B, L, H] → [B, L, H] (or [B, 1, H] for <see cref="DecoderInput.QueryRows"/>), with this layer's keys and values.</summary>
    public override DecoderOutput forward(DecoderInput input)
    {
        using var scope = torch.NewDisposeScope();
        var attention = self_attn.forward(input with { Hidden = input_layernorm.forward(input.Hidden) });
        var attended = input.SelectQueryRows(input.Hidden) + attention.Hidden;
        var output = attended + mlp.forward(post_attention_layernorm.forward(attended));
        return new DecoderOutput(output.MoveToOuterDisposeScope(), attention.KeyValues.MoveToOuterDisposeScope());
    }
}
