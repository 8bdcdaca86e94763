using Mining.Kernels.Experiments;
using TorchSharp;
using static TorchSharp.torch;

namespace Mining.Kernels.Model;

/// <summary>
/// Runs a <see cref="ScoringPlan"/>: the first-answer-token logits of many variants of one or more images in few forward
/// calls, last positions only. Owns the key/value cache of the prompt prefix (the system line and the question up to
/// the image), computed once per model; a trunk's cache lives only while its branches run.
/// A request with skip token ids (<see cref="VariantRequest.SkipTokenIds"/>) has its calls keep their new positions'
/// keys and values; the members whose first-position argmax is a skip token then take one batched generation step on
/// them with that token appended, and are measured by its logits. Requests without skip ids keep nothing and step never.
/// </summary>
internal sealed class FirstTokenEngine : IDisposable
{
    private readonly LlamaForCausalLM model;
    private readonly Tensor suffixEmbeddings;
    private readonly Func<int, Tensor> padEmbedding;
    private readonly KeyValueCache prefixCache;

    /// <param name="model">The language model.</param>
    /// <param name="prefixEmbeddings">Input embeddings of the prompt before the image [P, D] (read once here).</param>
    /// <param name="suffixEmbeddings">Input embeddings of the prompt after the image [S, D] (borrowed, S ≥ 1).</param>
    /// <param name="padEmbedding">The input embedding [1, D] of a pad token id (borrowed).</param>
    /// <param name="maxBatchTokens">Token budget of one call: batch × padded new positions.</param>
    /// <param name="options">Batching choices.</param>
    public FirstTokenEngine(LlamaForCausalLM model, Tensor prefixEmbeddings, Tensor suffixEmbeddings, Func<int, Tensor> padEmbedding, int maxBatchTokens, EngineOptions options)
    {
        options.Validate();
        if (suffixEmbeddings.shape[0] < 1 || prefixEmbeddings.shape[0] < 1)
        {
            throw new ArgumentException($"the engine needs a non-empty prompt prefix and suffix, got {prefixEmbeddings.shape[0]} and {suffixEmbeddings.shape[0]} ids");
        }

        this.model = model;
        this.suffixEmbeddings = suffixEmbeddings;
        this.padEmbedding = padEmbedding;
        MaxBatchTokens = maxBatchTokens;
        Options = options;
        using var noGrad = torch.no_grad();
        using var scope = torch.NewDisposeScope();
        var prefixLength = (int)prefixEmbeddings.shape[0];
        prefixCache = model.Forward(prefixEmbeddings.unsqueeze(0), [prefixLength], keepKeyValues: true, lastPositionsOnly: true).Cache!;
        Work = ForwardWork.OfCall(model.LayerCount, [prefixLength], prefixLength, 0, 0, lastPositionsOnly: true);
    }

    /// <summary>Token budget of one call.</summary>
    public int MaxBatchTokens { get; }

    /// <summary>Batching choices.</summary>
    public EngineOptions Options { get; }

    /// <summary>Prompt positions before the image (cached).</summary>
    public int PrefixLength => (int)prefixCache.Length;

    /// <summary>Prompt positions after the image.</summary>
    public int SuffixLength => (int)suffixEmbeddings.shape[0];

    /// <summary>Everything computed since construction (the prefix cache included).</summary>
    public ForwardWork Work { get; private set; }

    /// <summary>The part of <see cref="Work"/> spent on steps after a skipped leading token.</summary>
    public ForwardWork LeadSkipWork { get; private set; } = ForwardWork.None;

    /// <summary>Variants measured after a skipped leading token since construction.</summary>
    public long LeadSkips { get; private set; }

    /// <summary>Wall-clock seconds spent on those steps.</summary>
    public double LeadSkipSeconds { get; private set; }

    /// <summary>The plan <see cref="Score"/> follows for these requests.</summary>
    public ScoringPlan Plan(IReadOnlyList<VariantRequest> requests) =>
        ScoringPlanner.Plan(requests.Select(r => r.Variants).ToArray(), SuffixLength, MaxBatchTokens, Options);

    /// <summary>Measured logits per request and variant, in the order given (variants already validated).</summary>
    public MeasuredLogits[][] Score(IReadOnlyList<VariantRequest> requests)
    {
        var plan = Plan(requests);
        var results = requests.Select(r => new MeasuredLogits[r.Variants.Count]).ToArray();
        using var noGrad = torch.no_grad();
        foreach (var batch in plan.Packed)
        {
            Run(requests, batch, prefixCache, results);
        }

        foreach (var trunk in plan.Trunks)
        {
            using var cache = RunTrunk(requests[trunk.Request], trunk, results);
            foreach (var branch in trunk.Branches)
            {
                using var shared = cache.Narrow(PrefixLength + branch.SharedTokens);
                Run(requests, branch, shared, results);
            }
        }

        return results;
    }

    /// <summary>Releases the prefix cache.</summary>
    public void Dispose() => prefixCache.Dispose();

    /// <summary>The prefix and the image's first <see cref="PlannedTrunk.Tokens"/> tokens (and the suffix, when a variant is exactly those tokens); returns the cache of those positions.</summary>
    private KeyValueCache RunTrunk(VariantRequest request, PlannedTrunk trunk, MeasuredLogits[][] results)
    {
        using var scope = torch.NewDisposeScope();
        var visual = request.Image.VisualTokens.narrow(0, 0, trunk.Tokens);
        var embeddings = trunk.Variant is null ? visual : torch.cat([visual, suffixEmbeddings], dim: 0);
        var length = (int)embeddings.shape[0];
        var output = model.Forward(embeddings.unsqueeze(0), [length], prefixCache, keepKeyValues: true, lastPositionsOnly: true);
        Work += ForwardWork.OfCall(model.LayerCount, [length], length, PrefixLength, trunk.Variant is null ? 0 : 1, lastPositionsOnly: true);
        var cache = output.Cache!;
        if (trunk.Variant is not { } variant)
        {
            return cache;
        }

        // Branches only read positions before the suffix; the narrowed views keep the memory alive on their own.
        using (cache)
        {
            var first = ToRows(model.Logits(output.Hidden.squeeze(1)));
            results[trunk.Request][variant] = Measure([request], [new VariantSlot(0, variant)], first, null, cache, [(int)cache.Length])[0];
            return cache.Narrow(PrefixLength + trunk.Tokens);
        }
    }

    /// <summary>One planned call: gathers each member's new positions (its visual tokens from the shared count on, then the suffix) into one right-padded batch.</summary>
    private void Run(IReadOnlyList<VariantRequest> requests, PlannedBatch batch, KeyValueCache cache, MeasuredLogits[][] results)
    {
        using var scope = torch.NewDisposeScope();
        // One table holds every row a member may need: per request its visual tokens and its pad embedding, then the
        // suffix, then a zero row for padding; the batch is then a single gather.
        var parts = new List<Tensor>();
        var firstRow = new Dictionary<int, long>();
        long rows = 0;
        foreach (var r in batch.Members.Select(m => m.Request).Distinct())
        {
            var request = requests[r];
            firstRow[r] = rows;
            parts.Add(request.Image.VisualTokens);
            parts.Add(padEmbedding(request.PadTokenId));
            rows += request.Image.TokenCount + 1;
        }

        var suffixRow = rows;
        parts.Add(suffixEmbeddings);
        var zeroRow = suffixRow + SuffixLength;
        var device = suffixEmbeddings.device;
        parts.Add(torch.zeros([1, suffixEmbeddings.shape[1]], dtype: suffixEmbeddings.dtype, device: device));
        var table = torch.cat(parts, dim: 0);

        var width = batch.QueryLength;
        var index = new long[batch.Members.Count * width];
        var lengths = new int[batch.Members.Count];
        for (var b = 0; b < batch.Members.Count; b++)
        {
            var (r, v) = (batch.Members[b].Request, batch.Members[b].Variant);
            var variant = requests[r].Variants[v];
            var padRow = firstRow[r] + requests[r].Image.TokenCount;
            var position = b * width;
            for (var j = batch.SharedTokens; j < variant.Length; j++)
            {
                index[position++] = variant[j] == LlavaRuntime.PadSlot ? padRow : firstRow[r] + variant[j];
            }

            for (var s = 0; s < SuffixLength; s++)
            {
                index[position++] = suffixRow + s;
            }

            lengths[b] = position - (b * width);
            Array.Fill(index, zeroRow, position, ((b + 1) * width) - position);
        }

        var embeddings = table.index_select(0, torch.tensor(index, device: device)).view(batch.Members.Count, width, -1);
        // Keys and values are kept only where a skip may follow; nothing changes for requests without skip ids.
        var keep = batch.Members.Any(m => requests[m.Request].SkipTokenIds.Count > 0);
        var output = model.Forward(embeddings, lengths, cache, keepKeyValues: keep, lastPositionsOnly: true, newKeyValuesOnly: true);
        var first = ToRows(model.Logits(output.Hidden.squeeze(1)));
        Work += ForwardWork.OfCall(model.LayerCount, lengths, width, cache.Length, lengths.Length, lastPositionsOnly: true);
        using var own = output.Cache;
        var measured = Measure(requests, batch.Members, first, cache, own, lengths);
        for (var b = 0; b < batch.Members.Count; b++)
        {
            results[batch.Members[b].Request][batch.Members[b].Variant] = measured[b];
        }
    }

    /// <summary>
    /// The measured logits of <paramref name="members"/> from their first-position logits: a member whose argmax is
    /// one of its request's skip ids takes one step on its keys and values (<paramref name="shared"/>, batch 1, then
    /// row b of <paramref name="own"/>, valid up to <paramref name="ownLengths"/>[b]) with that token appended, all such
    /// members in one batched step.
    /// </summary>
    private MeasuredLogits[] Measure(IReadOnlyList<VariantRequest> requests, IReadOnlyList<VariantSlot> members, float[][] first, KeyValueCache? shared, KeyValueCache? own, IReadOnlyList<int> ownLengths)
    {
        var measured = first.Select(logits => new MeasuredLogits(logits, false)).ToArray();
        var stepping = new List<(int Member, int Token)>();
        for (var b = 0; b < members.Count; b++)
        {
            var skip = requests[members[b].Request].SkipTokenIds;
            var argmax = ArgMax(first[b]);
            if (skip.Count > 0 && skip.Contains(argmax))
            {
                stepping.Add((b, argmax));
            }
        }

        if (stepping.Count == 0)
        {
            return measured;
        }

        if (own is null)
        {
            throw new InvalidOperationException("a skipped leading token needs the call's keys and values");
        }

        var clock = System.Diagnostics.Stopwatch.StartNew();
        using var scope = torch.NewDisposeScope();
        var device = suffixEmbeddings.device;
        var next = model.Embed(torch.tensor(stepping.Select(s => (long)s.Token).ToArray(), device: device)).unsqueeze(1);
        var stepLengths = stepping.Select(s => ownLengths[s.Member]).ToArray();
        var logits = ToRows(model.StepLogits(next, shared, own, stepping.Select(s => (long)s.Member).ToArray(), stepLengths));
        var sharedLength = shared?.Length ?? 0;
        var work = stepping.Select(s => ForwardWork.OfCall(model.LayerCount, [1], 1, sharedLength + ownLengths[s.Member], 1))
            .Aggregate(ForwardWork.None, (sum, one) => sum + one) with { Calls = 1 };
        Work += work;
        LeadSkipWork += work;
        LeadSkips += stepping.Count;
        LeadSkipSeconds += clock.Elapsed.TotalSeconds; // ToRows has waited for the device
        for (var s = 0; s < stepping.Count; s++)
        {
            measured[stepping[s].Member] = new MeasuredLogits(logits[s], true);
        }

        return measured;
    }

    /// <summary>The first index of the largest value (torch's argmax on ties).</summary>
    private static int ArgMax(float[] values)
    {
        var best = 0;
        for (var i = 1; i < values.Length; i++)
        {
            if (values[i] > values[best])
            {
                best = i;
            }
        }

        return best;
    }

    /// <summary>Logits [B, V] (any dtype or device) → B float arrays.</summary>
    private static float[][] ToRows(Tensor logits)
    {
        using var scope = torch.NewDisposeScope();
        var cpu = logits.to(ScalarType.Float32).cpu().contiguous();
        var (count, vocabulary) = ((int)cpu.shape[0], (int)cpu.shape[1]);
        var flat = cpu.data<float>().ToArray();
        return Enumerable.Range(0, count).Select(b => flat.AsSpan(b * vocabulary, vocabulary).ToArray()).ToArray();
    }
}
