using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Mining.Kernels.Model;

/// <summary>LLaMA's decoder stack: token embeddings, decoder layers, final RMSNorm (HF <c>LlamaModel</c>).</summary>
public sealed class LlamaModel : nn.Module
{
#pragma warning disable IDE1006 // Field names mirror the checkpoint's tensor names.
    private readonly Embedding embed_tokens;
    private readonly ModuleList<LlamaDecoderLayer> layers;
    private readonly LlamaRmsNorm norm;
#pragma warning restore IDE1006
    private readonly RotaryEmbedding rotary;

    /// <summary>Creates the stack.</summary>
    public LlamaModel(int vocab, int hidden, int intermediate, int layerCount, int heads, int kvHeads, int headDim, double rmsNormEps, double ropeTheta, string activationName, bool attentionBias, bool mlpBias)
        : base(nameof(LlamaModel))
    {
        embed_tokens = nn.Embedding(vocab, hidden);
        layers = new ModuleList<LlamaDecoderLayer>();
        for (var i = 0; i < layerCount; i++)
        {
            layers.Add(new LlamaDecoderLayer(hidden, intermediate, heads, kvHeads, headDim, rmsNormEps, activationName, attentionBias, mlpBias));
        }

        norm = new LlamaRmsNorm(hidden, rmsNormEps);
        rotary = new RotaryEmbedding(headDim, ropeTheta);
        RegisterComponents();
    }

    /// <summary>Input embeddings of token ids [..] → [.., H].</summary>
    public Tensor Embed(Tensor ids) => embed_tokens.forward(ids);

    /// <summary>
    /// Runs right-padded sequences: <paramref name="inputsEmbeds"/> [B, L, H], where sequence b is valid in
    /// its first <paramref name="lengths"/>[b] positions. Positions count from 0 in each sequence; keys past a
    /// sequence's end are masked, so its valid outputs equal those of an unpadded run. Returns the final-norm
    /// hidden states [B, L, H].
    /// </summary>
    public Tensor Forward(Tensor inputsEmbeds, IReadOnlyList<int> lengths)
    {
        using var scope = torch.NewDisposeScope();
        var (batch, length) = (inputsEmbeds.shape[0], inputsEmbeds.shape[1]);
        var device = inputsEmbeds.device;
        var positions = torch.arange(length, device: device).unsqueeze(0).expand(batch, length);
        var (cos, sin) = rotary.CosSin(positions);
        var mask = AttentionMask(lengths, length, device);
        var hidden = inputsEmbeds;
        foreach (var layer in layers)
        {
            hidden = layer.forward(new DecoderInput(hidden, mask, cos, sin));
        }

        return norm.forward(hidden).MoveToOuterDisposeScope();
    }

    /// <summary>Additive mask [B, 1, L, L]: 0 where query q may read key k (k ≤ q and k inside the sequence), float.MinValue elsewhere.</summary>
    public static Tensor AttentionMask(IReadOnlyList<int> lengths, long length, Device device)
    {
        using var scope = torch.NewDisposeScope();
        var keys = torch.arange(length, device: device);
        var causal = keys.unsqueeze(0) <= keys.unsqueeze(1); // [q, k]: k ≤ q
        var valid = keys.unsqueeze(0) < torch.tensor(lengths.Select(l => (long)l).ToArray(), device: device).unsqueeze(1); // [B, k]
        var allowed = causal.unsqueeze(0) & valid.unsqueeze(1); // [B, q, k]
        var mask = torch.zeros(allowed.shape, dtype: ScalarType.Float32, device: device)
            .masked_fill(allowed.logical_not(), float.MinValue);
        return mask.unsqueeze(1).MoveToOuterDisposeScope();
    }
}
