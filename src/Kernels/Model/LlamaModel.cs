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
    public LlamaModel(int vocab, int hidden, int intermediate, int layerCount, int heads, int kvHeads, int headDim, double rmsNormEps, double ropeTheta, string activationName, bool qkvBias, bool outputBias, bool mlpBias, Device? device = null, ScalarType? dtype = null)
        : base(nameof(LlamaModel))
    {
        embed_tokens = nn.Embedding(vocab, hidden, device: device, dtype: dtype);
        layers = new ModuleList<LlamaDecoderLayer>();
        for (var i = 0; i < layerCount; i++)
        {
            layers.Add(new LlamaDecoderLayer(hidden, intermediate, heads, kvHeads, headDim, rmsNormEps, activationName, qkvBias, outputBias, mlpBias, device: device, dtype: dtype));
        }

        norm = new LlamaRmsNorm(hidden, rmsNormEps, device: device, dtype: dtype);
        rotary = new RotaryEmbedding(headDim, ropeTheta);
        RegisterComponents();
    }

    /// <summary>Number of decoder layers.</summary>
    public int LayerCount => layers.Count;

    /// <summary>Input embeddings of token ids [..] → [.., H].</summary>
    public Tensor Embed(Tensor ids) => embed_tokens.forward(ids);

    /// <summary>
    /// Runs right-padded sequences: <paramref name="inputsEmbeds"/> [B, L, H], where sequence b is valid in its first
    /// <paramref name="lengths"/>[b] positions, continuing <paramref name="past"/> (P cached positions, batch 1 or B;
    /// null: P = 0). New positions count from P; every new position sees all P cached keys and the new keys up to
    /// itself (<see cref="CausalMask"/>), so a sequence's valid outputs equal those of one unpadded, uncached run.
    /// Returns the final-norm hidden states [B, L, H] — or, if <paramref name="lastPositionsOnly"/>, [B, 1, H] of each
    /// sequence's last valid position, the final layer then computing queries and outputs for that row alone — and, if
    /// <paramref name="keepKeyValues"/>, the cache of all P + L positions (meaningful up to each sequence's length) —
    /// or, with <paramref name="newKeyValuesOnly"/>, of the L new positions alone (batch B; the cached P stay with
    /// <paramref name="past"/>, see <see cref="Step"/>).
    /// </summary>
    public LlamaModelOutput Forward(Tensor inputsEmbeds, IReadOnlyList<int> lengths, KeyValueCache? past = null, bool keepKeyValues = false, bool lastPositionsOnly = false, bool newKeyValuesOnly = false)
    {
        ArgumentNullException.ThrowIfNull(inputsEmbeds);
        ArgumentNullException.ThrowIfNull(lengths);
        if (past is not null && past.Layers.Count != layers.Count)
        {
            throw new ArgumentException($"the cache holds {past.Layers.Count} layers, the model has {layers.Count}", nameof(past));
        }

        if (lengths.Count != inputsEmbeds.shape[0] || lengths.Any(l => l < 1 || l > inputsEmbeds.shape[1]))
        {
            throw new ArgumentException($"lengths must give each of the {inputsEmbeds.shape[0]} sequences a length in 1..{inputsEmbeds.shape[1]}, got [{string.Join(", ", lengths)}]", nameof(lengths));
        }

        using var scope = torch.NewDisposeScope();
        var length = inputsEmbeds.shape[1];
        var pastLength = past?.Length ?? 0;
        var device = inputsEmbeds.device;
        var positions = torch.arange(pastLength, pastLength + length, device: device).unsqueeze(0);
        var (cos, sin) = rotary.CosSin(positions);
        var mask = CausalMask(length, pastLength, device);
        var kept = keepKeyValues ? new LayerKeyValues[layers.Count] : null;
        var lastRows = lastPositionsOnly ? torch.tensor(lengths.Select(l => (long)l - 1).ToArray(), device: device) : null;
        var hidden = inputsEmbeds;
        for (var i = 0; i < layers.Count; i++)
        {
            var input = new DecoderInput(hidden, mask, cos, sin) { Past = past?.Layers[i], QueryRows = i == layers.Count - 1 ? lastRows : null };
            var output = layers[i].forward(input);
            if (!ReferenceEquals(hidden, inputsEmbeds))
            {
                hidden.Dispose(); // frees each layer's activations as soon as the next layer has read them
            }

            hidden = output.Hidden;
            if (kept is null)
            {
                output.KeyValues.Dispose();
            }
            else if (newKeyValuesOnly && pastLength > 0)
            {
                // A copy of the new positions only: a view would keep the expanded copies of the cached ones alive.
                kept[i] = new LayerKeyValues(output.KeyValues.Keys.narrow(2, pastLength, length).contiguous(), output.KeyValues.Values.narrow(2, pastLength, length).contiguous());
                output.KeyValues.Dispose();
            }
            else
            {
                kept[i] = output.KeyValues;
            }
        }

        var cache = kept is null ? null : new KeyValueCache(kept);
        return new LlamaModelOutput(norm.forward(hidden).MoveToOuterDisposeScope(), cache);
    }

    /// <summary>
    /// One generation step for Bf sequences at once (HF generate's second step on its key/value cache): each sequence's
    /// cached positions are the C of <paramref name="shared"/> (batch 1, every sequence's; null: C = 0) followed by
    /// row <paramref name="rows"/>[b] of <paramref name="own"/> (batch B, W positions, right-padded: only the first
    /// <paramref name="ownLengths"/>[b] are the sequence's). <paramref name="inputsEmbeds"/> [Bf, 1, H] is each
    /// sequence's next input, at position C + <paramref name="ownLengths"/>[b]; it reads only its valid keys and
    /// itself. Returns its final-norm hidden states [Bf, 1, H]. The caches are read, not changed.
    /// </summary>
    public Tensor Step(Tensor inputsEmbeds, KeyValueCache? shared, KeyValueCache own, IReadOnlyList<long> rows, IReadOnlyList<int> ownLengths)
    {
        ArgumentNullException.ThrowIfNull(inputsEmbeds);
        ArgumentNullException.ThrowIfNull(own);
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(ownLengths);
        var batch = inputsEmbeds.shape[0];
        if (inputsEmbeds.shape[1] != 1 || rows.Count != batch || ownLengths.Count != batch || ownLengths.Any(l => l < 0 || l > own.Length))
        {
            throw new ArgumentException($"a step takes one position per sequence and a row and a length in 0..{own.Length} of the cache for each of its {batch} sequences");
        }

        if (own.Layers.Count != layers.Count || (shared is not null && shared.Layers.Count != layers.Count))
        {
            throw new ArgumentException($"the caches must hold the model's {layers.Count} layers");
        }

        using var scope = torch.NewDisposeScope();
        var device = inputsEmbeds.device;
        var sharedLength = shared?.Length ?? 0;
        var keyCount = sharedLength + own.Length + 1;
        var next = torch.tensor(ownLengths.Select(l => sharedLength + l).ToArray(), device: device);
        var (cos, sin) = rotary.CosSin(next.unsqueeze(1));
        var keys = torch.arange(keyCount, device: device).unsqueeze(0);
        var allowed = (keys < next.unsqueeze(1)).logical_or(keys == keyCount - 1);
        var mask = torch.zeros(allowed.shape, dtype: ScalarType.Float32, device: device)
            .masked_fill(allowed.logical_not(), float.MinValue)
            .view(batch, 1, 1, keyCount);
        var rowIndex = torch.tensor(rows.ToArray(), device: device);
        var hidden = inputsEmbeds;
        for (var i = 0; i < layers.Count; i++)
        {
            using var layerScope = torch.NewDisposeScope();
            var ownKeys = own.Layers[i].Keys.index_select(0, rowIndex);
            var ownValues = own.Layers[i].Values.index_select(0, rowIndex);
            var past = shared is null
                ? new LayerKeyValues(ownKeys, ownValues)
                : new LayerKeyValues(
                    torch.cat([shared.Layers[i].Keys.expand(batch, -1, -1, -1), ownKeys], dim: 2),
                    torch.cat([shared.Layers[i].Values.expand(batch, -1, -1, -1), ownValues], dim: 2));
            var output = layers[i].forward(new DecoderInput(hidden, mask, cos, sin) { Past = past });
            hidden = output.Hidden.MoveToOuterDisposeScope();
        }

        return norm.forward(hidden).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Additive mask [1, 1, L, P + L], shared by the batch: 0 where new position q may read key k — every cached key
    /// k &lt; P and the new keys P + j with j ≤ q — and float.MinValue elsewhere. Right-padding needs no mask of its
    /// own: a sequence's padding comes after all its valid positions, so causality already hides it from them (the
    /// padded rows read valid and padding keys alike; their outputs are finite and never used).
    /// </summary>
    public static Tensor CausalMask(long length, long pastLength, Device device)
    {
        using var scope = torch.NewDisposeScope();
        var keys = torch.arange(pastLength + length, device: device) - pastLength; // new-position index of each key; negative: cached
        var queries = torch.arange(length, device: device);
        var allowed = keys.unsqueeze(0) <= queries.unsqueeze(1); // [q, k]
        var mask = torch.zeros(allowed.shape, dtype: ScalarType.Float32, device: device)
            .masked_fill(allowed.logical_not(), float.MinValue);
        return mask.view(1, 1, length, pastLength + length).MoveToOuterDisposeScope();
    }
}
