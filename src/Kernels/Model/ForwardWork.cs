using Mining.Kernels.Checkpoints;

namespace Mining.Kernels.Model;

/// <summary>
/// What forward calls computed, counted so that benchmarks can turn it into FLOPs. Per call: sequences, valid new
/// positions and positions including right-padding; summed over decoder layers: positions that went through the
/// whole layer, positions of which only keys and values were needed (the final layer, when only last positions
/// matter), and (query, key) pairs a computed query attends to (cached keys included, causally and padding-masked
/// pairs excluded); and rows that went through the LM head.
/// </summary>
public sealed record ForwardWork(long Calls, long Sequences, long QueryTokens, long PaddedTokens, long LayerTokens, long KeyValueOnlyTokens, long AttendedKeys, long HeadRows)
{
    /// <summary>No work.</summary>
    public static ForwardWork None { get; } = new(0, 0, 0, 0, 0, 0, 0, 0);

    /// <summary>
    /// One call of a <paramref name="layers"/>-layer model over sequences of <paramref name="lengths"/> new positions,
    /// right-padded to <paramref name="paddedLength"/>, continuing <paramref name="cachedLength"/> cached positions,
    /// with <paramref name="headRows"/> rows through the LM head; with <paramref name="lastPositionsOnly"/>, the final
    /// layer computes the last position of each sequence fully and only keys and values for the others.
    /// </summary>
    public static ForwardWork OfCall(int layers, IReadOnlyList<int> lengths, int paddedLength, long cachedLength, long headRows, bool lastPositionsOnly = false)
    {
        ArgumentNullException.ThrowIfNull(lengths);
        long tokens = 0, keys = 0, lastKeys = 0;
        foreach (var length in lengths)
        {
            tokens += length;
            // Position t (0-based) reads the cached keys and the new keys 0..t; the last one reads them all.
            keys += (length * cachedLength) + ((long)length * (length + 1) / 2);
            lastKeys += cachedLength + length;
        }

        var fullLayers = lastPositionsOnly ? layers - 1 : layers;
        return new ForwardWork(
            1,
            lengths.Count,
            tokens,
            (long)lengths.Count * paddedLength,
            (fullLayers * tokens) + (lastPositionsOnly ? lengths.Count : 0),
            lastPositionsOnly ? tokens - lengths.Count : 0,
            (fullLayers * keys) + (lastPositionsOnly ? lastKeys : 0),
            headRows);
    }

    /// <summary>Sum of two counts.</summary>
    public static ForwardWork operator +(ForwardWork a, ForwardWork b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        return new(a.Calls + b.Calls, a.Sequences + b.Sequences, a.QueryTokens + b.QueryTokens, a.PaddedTokens + b.PaddedTokens, a.LayerTokens + b.LayerTokens, a.KeyValueOnlyTokens + b.KeyValueOnlyTokens, a.AttendedKeys + b.AttendedKeys, a.HeadRows + b.HeadRows);
    }

    /// <summary>Difference of two counts (work done between two readings).</summary>
    public static ForwardWork operator -(ForwardWork a, ForwardWork b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        return new(a.Calls - b.Calls, a.Sequences - b.Sequences, a.QueryTokens - b.QueryTokens, a.PaddedTokens - b.PaddedTokens, a.LayerTokens - b.LayerTokens, a.KeyValueOnlyTokens - b.KeyValueOnlyTokens, a.AttendedKeys - b.AttendedKeys, a.HeadRows - b.HeadRows);
    }

    /// <summary>
    /// Floating-point operations of this work on a LLaMA of <paramref name="text"/>'s shape, a multiply-add counting 2:
    /// per layer position the q, k, v, o projections and the three MLP matrices (k and v alone for key/value-only
    /// positions); per attended pair q·k and p·v over all heads; per head row the LM head. Norms, rotary, softmax and
    /// activations (linear in the positions, not in the weights) and the positions spent on padding are left out:
    /// this is the useful work.
    /// </summary>
    public double Flops(TextConfig text)
    {
        ArgumentNullException.ThrowIfNull(text);
        double hidden = text.HiddenSize, queryWidth = text.NumAttentionHeads * text.HeadDim, keyWidth = text.NumKeyValueHeads * text.HeadDim;
        var keyValue = 2 * hidden * keyWidth;
        var wholeLayer = (hidden * queryWidth) + keyValue + (queryWidth * hidden) + (3 * hidden * text.IntermediateSize);
        return (2 * wholeLayer * LayerTokens) + (2 * keyValue * KeyValueOnlyTokens) + (2 * 2 * queryWidth * AttendedKeys) + (2 * hidden * text.VocabSize * HeadRows);
    }
}
