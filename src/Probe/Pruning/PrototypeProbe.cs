using Mining.Probe.Codebooks;

namespace Mining.Probe.Pruning;

/// <summary>
/// The inference-side probe (ARCHITECTURE §1, "Probe"): scores visual tokens by their largest cosine similarity
/// to any redundant prototype, s(t) = max_p cos(t, p), and keeps the tokens least like a prototype.
/// </summary>
/// <remarks>
/// A zero vector (token or prototype) has cosine 0 with everything, matching the reference's <c>F.normalize</c>
/// (reference: LLaVA_NeXT llava_arch.py, <c>high_info_patch</c>). Equal tokens get bit-identical scores, so ties break
/// by index as documented, and a float16 token and its float32 widening score bit-identically; the arithmetic is
/// <see cref="MaxCosineKernel"/>'s. Instances are immutable and thread-safe.
/// </remarks>
public sealed class PrototypeProbe
{
    /// <summary>Tokens per panel: 32 × 4096 float32 is 512 KiB, which fits a core's L2 cache next to two prototype rows.</summary>
    public const int PanelTokens = MaxCosineKernel.PanelTokens;

    private readonly MaxCosineKernel _kernel;

    /// <summary>
    /// A probe over <paramref name="count"/> prototypes of width <paramref name="hidden"/>, stored row-major in
    /// <paramref name="prototypes"/> (not modified; the probe keeps a normalised copy).
    /// </summary>
    /// <exception cref="ArgumentException">The sizes disagree, there are no prototypes, or a value is not finite.</exception>
    public PrototypeProbe(float[] prototypes, int count, int hidden)
    {
        ArgumentNullException.ThrowIfNull(prototypes);
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(hidden, 1);
        if (prototypes.LongLength != (long)count * hidden)
        {
            throw new ArgumentException(
                $"prototypes: expected {count} × {hidden} = {(long)count * hidden} values, got {prototypes.LongLength}", nameof(prototypes));
        }

        var bad = MaxCosineKernel.FirstNonFinite(prototypes);
        if (bad >= 0)
        {
            throw new ArgumentException($"prototypes: prototype {bad / hidden}, element {bad % hidden} is {prototypes[bad]}; values must be finite", nameof(prototypes));
        }

        _kernel = new MaxCosineKernel(prototypes, count, hidden);
    }

    /// <summary>Number of prototypes.</summary>
    public int Count => _kernel.Count;

    /// <summary>Width of prototypes and tokens.</summary>
    public int HiddenSize => _kernel.HiddenSize;

    /// <summary>
    /// A probe over every prototype of <paramref name="codebook"/>, after checking it against
    /// <paramref name="requirement"/> (the caller's model id and token width; default: no check).
    /// </summary>
    /// <exception cref="InvalidDataException">The codebook is for another model or hidden size than <paramref name="requirement"/> names.</exception>
    /// <exception cref="ArgumentException">The codebook has no prototypes or an embedding of another width than its hidden size.</exception>
    public static PrototypeProbe FromCodebook(Codebook codebook, CodebookRequirement? requirement = null)
    {
        ArgumentNullException.ThrowIfNull(codebook);
        (requirement ?? CodebookRequirement.None).Check(codebook, "codebook");
        if (codebook.Count == 0)
        {
            throw new ArgumentException($"codebook for {codebook.Metadata.Model}: it has no prototypes, so it cannot score tokens", nameof(codebook));
        }

        var hidden = codebook.Metadata.HiddenSize;
        var flat = new float[(long)codebook.Count * hidden];
        for (var i = 0; i < codebook.Count; i++)
        {
            var embedding = codebook.Entries[i].Embedding;
            if (embedding.Length != hidden)
            {
                throw new ArgumentException(
                    $"codebook prototype {codebook.Entries[i].PrototypeId}: embedding width {embedding.Length}, expected the hidden size {hidden}", nameof(codebook));
            }

            embedding.CopyTo(flat, (long)i * hidden);
        }

        return new PrototypeProbe(flat, codebook.Count, hidden);
    }

    /// <summary>
    /// The number of tokens ratio mode keeps: round(<paramref name="tokenCount"/>·<paramref name="ratio"/>) with
    /// ties to even, as Python's <c>round</c> in the reference (<c>sampled_L = round(L*ratio)</c>): 5 × 0.5 keeps 2,
    /// 7 × 0.5 keeps 4. The product is the IEEE double product, as in Python.
    /// </summary>
    public static int KeepCount(int tokenCount, double ratio)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(tokenCount);
        _ = KeepRule.Ratio(ratio);
        return (int)Math.Round(tokenCount * ratio, MidpointRounding.ToEven);
    }

    /// <summary>
    /// The ascending indices of the tokens <paramref name="rule"/> keeps, given each token's score s(t) in
    /// <paramref name="scores"/>: threshold keeps s(t) &lt; τ; ratio keeps the <see cref="KeepCount"/> lowest, equal
    /// scores taken in index order.
    /// </summary>
    public static int[] Keep(ReadOnlySpan<float> scores, KeepRule rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        var n = scores.Length;
        if (rule.Mode == KeepMode.Threshold)
        {
            var kept = new List<int>(n);
            for (var i = 0; i < n; i++)
            {
                if (scores[i] < rule.Value)
                {
                    kept.Add(i);
                }
            }

            return kept.ToArray();
        }

        var keep = KeepCount(n, rule.Value);
        var copy = scores.ToArray();
        var order = new int[n];
        for (var i = 0; i < n; i++)
        {
            order[i] = i;
        }

        Array.Sort(order, (i, j) => copy[i] != copy[j] ? copy[i].CompareTo(copy[j]) : i.CompareTo(j));
        var lowest = order[..keep];
        Array.Sort(lowest);
        return lowest;
    }

    /// <summary>
    /// s(t) for each of the <paramref name="n"/> tokens in <paramref name="tokens"/> (row-major [n, HiddenSize]):
    /// the largest cosine similarity to any prototype; 0 for a zero token.
    /// </summary>
    /// <exception cref="ArgumentException">The token width is not <see cref="HiddenSize"/> (the message gives both), or a value is not finite.</exception>
    public float[] MaxSimilarity(float[] tokens, int n)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        var scores = new float[Math.Max(n, 0)];
        MaxSimilarity(tokens.AsSpan(), n, scores);
        return scores;
    }

    /// <summary>s(t) of the <paramref name="n"/> float32 tokens in <paramref name="tokens"/> into <paramref name="scores"/> (length <paramref name="n"/>).</summary>
    /// <exception cref="ArgumentException">The token width is not <see cref="HiddenSize"/>, <paramref name="scores"/> has another length, or a value is not finite.</exception>
    public void MaxSimilarity(ReadOnlySpan<float> tokens, int n, Span<float> scores)
    {
        RequireShape(tokens.Length, n, scores.Length);
        _kernel.Score(tokens, scores);
    }

    /// <summary>s(t) of the <paramref name="n"/> float16 tokens in <paramref name="tokens"/>, each widened exactly to float32, into <paramref name="scores"/>.</summary>
    /// <exception cref="ArgumentException">The token width is not <see cref="HiddenSize"/>, <paramref name="scores"/> has another length, or a value is not finite.</exception>
    public void MaxSimilarity(ReadOnlySpan<Half> tokens, int n, Span<float> scores)
    {
        RequireShape(tokens.Length, n, scores.Length);
        _kernel.Score(tokens, scores);
    }

    /// <summary>
    /// Threshold mode: the indices, ascending, of the tokens with s(t) &lt; <paramref name="tau"/> (the reference's
    /// LLaVA-1.5 setting is τ = 0.45).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="tau"/> is NaN or infinite.</exception>
    public int[] KeepByThreshold(float[] tokens, int n, double tau)
    {
        var rule = KeepRule.Threshold(tau);
        return Keep(MaxSimilarity(tokens, n), rule);
    }

    /// <summary>
    /// Ratio mode: the <see cref="KeepCount"/>(n, <paramref name="ratio"/>) tokens with the lowest s(t), equal
    /// scores taken in index order, returned in their original (ascending) order.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="ratio"/> is outside [0, 1] or NaN.</exception>
    public int[] KeepByRatio(float[] tokens, int n, double ratio)
    {
        var rule = KeepRule.Ratio(ratio);
        return Keep(MaxSimilarity(tokens, n), rule);
    }

    /// <summary>The ascending indices of the tokens of one image (<paramref name="n"/> float32 tokens) that <paramref name="rule"/> keeps.</summary>
    /// <exception cref="ArgumentException">The token width is not <see cref="HiddenSize"/>, or a value is not finite.</exception>
    public int[] Select(ReadOnlySpan<float> tokens, int n, KeepRule rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        var scores = new float[Math.Max(n, 0)];
        MaxSimilarity(tokens, n, scores);
        return Keep(scores, rule);
    }

    /// <summary>The ascending indices of the tokens of one image (<paramref name="n"/> float16 tokens) that <paramref name="rule"/> keeps.</summary>
    /// <exception cref="ArgumentException">The token width is not <see cref="HiddenSize"/>, or a value is not finite.</exception>
    public int[] Select(ReadOnlySpan<Half> tokens, int n, KeepRule rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        var scores = new float[Math.Max(n, 0)];
        MaxSimilarity(tokens, n, scores);
        return Keep(scores, rule);
    }

    /// <summary>
    /// For a batch of images (several images of one prompt, or video frames) whose float32 tokens are concatenated in
    /// <paramref name="tokens"/>, image i holding <paramref name="tokensPerImage"/>[i] tokens: each image's kept
    /// indices, counted from that image's first token. The rule applies per image (a ratio keeps that fraction of
    /// each image); all images are scored in one pass.
    /// </summary>
    /// <exception cref="ArgumentException">The counts do not add up to the tokens given at width <see cref="HiddenSize"/>, a count is negative, or a value is not finite.</exception>
    public int[][] SelectBatch(ReadOnlySpan<float> tokens, ReadOnlySpan<int> tokensPerImage, KeepRule rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        var scores = new float[TotalTokens(tokensPerImage)];
        MaxSimilarity(tokens, scores.Length, scores);
        return KeepPerImage(scores, tokensPerImage, rule);
    }

    /// <summary>As <see cref="SelectBatch(ReadOnlySpan{float}, ReadOnlySpan{int}, KeepRule)"/>, for float16 tokens.</summary>
    /// <exception cref="ArgumentException">The counts do not add up to the tokens given at width <see cref="HiddenSize"/>, a count is negative, or a value is not finite.</exception>
    public int[][] SelectBatch(ReadOnlySpan<Half> tokens, ReadOnlySpan<int> tokensPerImage, KeepRule rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        var scores = new float[TotalTokens(tokensPerImage)];
        MaxSimilarity(tokens, scores.Length, scores);
        return KeepPerImage(scores, tokensPerImage, rule);
    }

    private static int TotalTokens(ReadOnlySpan<int> tokensPerImage)
    {
        var total = 0L;
        for (var i = 0; i < tokensPerImage.Length; i++)
        {
            if (tokensPerImage[i] < 0)
            {
                throw new ArgumentException($"tokensPerImage: image {i} has {tokensPerImage[i]} tokens; counts must not be negative", nameof(tokensPerImage));
            }

            total += tokensPerImage[i];
        }

        return total <= int.MaxValue
            ? (int)total
            : throw new ArgumentException($"tokensPerImage: {total} tokens in all is more than one batch holds", nameof(tokensPerImage));
    }

    private static int[][] KeepPerImage(float[] scores, ReadOnlySpan<int> tokensPerImage, KeepRule rule)
    {
        var kept = new int[tokensPerImage.Length][];
        var start = 0;
        for (var i = 0; i < kept.Length; i++)
        {
            kept[i] = Keep(scores.AsSpan(start, tokensPerImage[i]), rule);
            start += tokensPerImage[i];
        }

        return kept;
    }

    private void RequireShape(int values, int n, int scores)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        var expected = (long)n * HiddenSize;
        if (values != expected)
        {
            var actual = n > 0 && values % n == 0
                ? $"{n} tokens of width {values / n}"
                : $"{values} values, which is not {n} tokens of any whole width";
            throw new ArgumentException(
                $"tokens: expected {n} tokens of width {HiddenSize} (the prototypes' hidden size, {expected} values), got {actual}", "tokens");
        }

        if (scores != n)
        {
            throw new ArgumentException($"scores: room for {scores} scores, but there are {n} tokens", nameof(scores));
        }
    }
}
