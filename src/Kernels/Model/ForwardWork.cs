using Mining.Kernels.Checkpoints;

namespace Mining.Kernels.Model;

/// <summary>
/// What forward calls computed, counted so that benchmarks can turn it into FLOPs: calls, sequences, valid new
/// positions, positions including right-padding, (query, key) pairs a valid position attends to (cached keys
/// included, causal and padding-masked pairs excluded), and rows that went through the LM head.
/// </summary>
public sealed record ForwardWork(long Calls, long Sequences, long QueryTokens, long PaddedTokens, long AttendedKeys, long HeadRows)
{
    /// <summary>No work.</summary>
    public static ForwardWork None { get; } = new(0, 0, 0, 0, 0, 0);

    /// <summary>One call over sequences of <paramref name="lengths"/> new positions, right-padded to <paramref name="paddedLength"/>, continuing <paramref name="cachedLength"/> cached positions, with <paramref name="headRows"/> rows through the LM head.</summary>
    public static ForwardWork OfCall(IReadOnlyList<int> lengths, int paddedLength, long cachedLength, long headRows)
    {
        ArgumentNullException.ThrowIfNull(lengths);
        long tokens = 0, keys = 0;
        foreach (var length in lengths)
        {
            tokens += length;
            // Position t (0-based) reads the cached keys and the new keys 0..t.
            keys += (length * cachedLength) + ((long)length * (length + 1) / 2);
        }

        return new ForwardWork(1, lengths.Count, tokens, (long)lengths.Count * paddedLength, keys, headRows);
    }

    /// <summary>Sum of two counts.</summary>
    public static ForwardWork operator +(ForwardWork a, ForwardWork b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        return new(a.Calls + b.Calls, a.Sequences + b.Sequences, a.QueryTokens + b.QueryTokens, a.PaddedTokens + b.PaddedTokens, a.AttendedKeys + b.AttendedKeys, a.HeadRows + b.HeadRows);
    }

    /// <summary>Difference of two counts (work done between two readings).</summary>
    public static ForwardWork operator -(ForwardWork a, ForwardWork b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        return new(a.Calls - b.Calls, a.Sequences - b.Sequences, a.QueryTokens - b.QueryTokens, a.PaddedTokens - b.PaddedTokens, a.AttendedKeys - b.AttendedKeys, a.HeadRows - b.HeadRows);
    }

    /// <summary>
    /// Floating-point operations of this work on a LLaMA of <paramref name="text"/>'s shape, a multiply-add counting 2:
    /// per valid position and layer the q, k, v, o projections and the three MLP matrices; per attended pair and layer
    /// q·k and p·v over all heads; per head row the LM head. Norms, rotary, softmax and activations (linear in the
    /// positions, not in the weights) and the positions spent on padding are left out: this is the useful work.
    /// </summary>
    public double Flops(LlamaTextConfig text)
    {
        ArgumentNullException.ThrowIfNull(text);
        double hidden = text.HiddenSize, queryWidth = text.NumAttentionHeads * text.HeadDim, keyWidth = text.NumKeyValueHeads * text.HeadDim;
        var weightsPerPosition = (hidden * queryWidth) + (2 * hidden * keyWidth) + (queryWidth * hidden) + (3 * hidden * text.IntermediateSize);
        var perLayer = (2 * weightsPerPosition * QueryTokens) + (2 * 2 * queryWidth * AttendedKeys);
        return (text.NumHiddenLayers * perLayer) + (2 * hidden * text.VocabSize * HeadRows);
    }
}
