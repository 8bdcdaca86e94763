using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Mining.Kernels.Model;

/// <summary>LLaMA with its LM head (HF <c>LlamaForCausalLM</c>); computes logits only where asked.</summary>
public sealed class LlamaForCausalLM : nn.Module
{
#pragma warning disable IDE1006 // Field names mirror the checkpoint's tensor names.
    private readonly LlamaModel model;
    private readonly Linear lm_head;
#pragma warning restore IDE1006

    /// <summary>Creates the model.</summary>
    public LlamaForCausalLM(int vocab, int hidden, int intermediate, int layerCount, int heads, int kvHeads, int headDim, double rmsNormEps, double ropeTheta, string activationName, bool qkvBias, bool outputBias, bool mlpBias, Device? device = null, ScalarType? dtype = null)
        : base(nameof(LlamaForCausalLM))
    {
        model = new LlamaModel(vocab, hidden, intermediate, layerCount, heads, kvHeads, headDim, rmsNormEps, ropeTheta, activationName, qkvBias, outputBias, mlpBias, device: device, dtype: dtype);
        lm_head = nn.Linear(hidden, vocab, hasBias: false, device: device, dtype: dtype);
        RegisterComponents();
    }

    /// <summary>Input embeddings of token ids.</summary>
    public Tensor Embed(Tensor ids) => model.Embed(ids);

    /// <summary>The decoder stack without the head: see <see cref="LlamaModel.Forward"/>.</summary>
    public LlamaModelOutput Forward(Tensor inputsEmbeds, IReadOnlyList<int> lengths, KeyValueCache? past = null, bool keepKeyValues = false, bool lastPositionsOnly = false, bool newKeyValuesOnly = false) =>
        model.Forward(inputsEmbeds, lengths, past, keepKeyValues, lastPositionsOnly, newKeyValuesOnly);

    /// <summary>One generation step on cached keys and values: see <see cref="LlamaModel.Step"/>; returns the logits [Bf, vocab].</summary>
    public Tensor StepLogits(Tensor inputsEmbeds, KeyValueCache? shared, KeyValueCache own, IReadOnlyList<long> rows, IReadOnlyList<int> ownLengths)
    {
        using var scope = torch.NewDisposeScope();
        var hidden = model.Step(inputsEmbeds, shared, own, rows, ownLengths);
        return Logits(hidden.squeeze(1)).MoveToOuterDisposeScope();
    }

    /// <summary>Right-padded sequences [B, L, H] with their lengths, continuing <paramref name="past"/> if given → logits of each sequence's last valid position [B, vocab].</summary>
    public Tensor LastPositionLogits(Tensor inputsEmbeds, IReadOnlyList<int> lengths, KeyValueCache? past = null)
    {
        using var scope = torch.NewDisposeScope();
        var hidden = model.Forward(inputsEmbeds, lengths, past, lastPositionsOnly: true).Hidden;
        return Logits(hidden.squeeze(1)).MoveToOuterDisposeScope();
    }

    /// <summary>Number of decoder layers.</summary>
    public int LayerCount => model.LayerCount;

    /// <summary>The LM head on final-norm hidden states [.., H] → logits [.., vocab].</summary>
    public Tensor Logits(Tensor hidden) => lm_head.forward(hidden);

    /// <summary>Each sequence's last valid position of <paramref name="hidden"/> [B, L, H] → [B, H].</summary>
    public static Tensor LastPositions(Tensor hidden, IReadOnlyList<int> lengths)
    {
        ArgumentNullException.ThrowIfNull(hidden);
        ArgumentNullException.ThrowIfNull(lengths);
        using var scope = torch.NewDisposeScope();
        var last = torch.tensor(lengths.Select(l => (long)l - 1).ToArray(), device: hidden.device);
        var index = last.view(-1, 1, 1).expand(-1, 1, hidden.shape[2]);
        return hidden.gather(1, index).squeeze(1).MoveToOuterDisposeScope();
    }
}
