using System.Buffers;
using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using Mining.Probe.Codebooks;

namespace Mining.Probe.Pruning;

/// <summary>
/// The inference-side probe (ARCHITECTURE §1, "Probe"): scores visual tokens by their largest cosine similarity
/// to any redundant prototype, s(t) = max_p cos(t, p), and keeps the tokens least like a prototype.
/// </summary>
/// <remarks>
/// <para>
/// Prototypes are normalised once, here; a token's score is its largest dot product with a unit prototype divided
/// by its own norm, which equals the cosine. A zero vector (token or prototype) has cosine 0 with everything,
/// matching the reference's <c>F.normalize</c>, which leaves a zero vector zero (reference: LLaVA_NeXT
/// llava_arch.py, <c>high_info_patch</c>).
/// </para>
/// <para>
/// The dot products are a blocked matrix product: panels of <see cref="PanelTokens"/> tokens (which stay in the
/// L2 cache) against the prototypes two rows at a time, four tokens by two prototypes per register tile, fused
/// multiply-adds over the width; panels run in parallel. Every (token, prototype) pair goes through the same
/// arithmetic whatever its place in a tile, so equal tokens get bit-identical scores and ties break by index as
/// documented. Float16 tokens are widened exactly to float32 panel by panel, so a float16 token and its float32
/// widening score bit-identically. Instances are immutable and thread-safe.
/// </para>
/// </remarks>
public sealed class PrototypeProbe
{
    /// <summary>Tokens per panel: 32 × 4096 float32 is 512 KiB, which fits a core's L2 cache next to two prototype rows.</summary>
    public const int PanelTokens = 32;

    // Below this many multiply-adds a parallel loop costs more than it saves.
    private const long ParallelWork = 1L << 22;

    private readonly float[] _unitPrototypes;

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

        var bad = FirstNonFinite(prototypes);
        if (bad >= 0)
        {
            throw new ArgumentException($"prototypes: prototype {bad / hidden}, element {bad % hidden} is {prototypes[bad]}; values must be finite", nameof(prototypes));
        }

        Count = count;
        HiddenSize = hidden;
        _unitPrototypes = new float[prototypes.Length];
        for (var p = 0; p < count; p++)
        {
            var row = prototypes.AsSpan(p * hidden, hidden);
            var norm = Norm(row);
            var unit = _unitPrototypes.AsSpan(p * hidden, hidden);
            for (var j = 0; j < hidden; j++)
            {
                unit[j] = norm > 0 ? (float)(row[j] / norm) : 0f;
            }
        }
    }

    /// <summary>Number of prototypes.</summary>
    public int Count { get; }

    /// <summary>Width of prototypes and tokens.</summary>
    public int HiddenSize { get; }

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
        unsafe
        {
            fixed (float* t = tokens)
            fixed (float* s = scores)
            {
                Score((nint)t, isHalf: false, n, s);
            }
        }
    }

    /// <summary>s(t) of the <paramref name="n"/> float16 tokens in <paramref name="tokens"/>, each widened exactly to float32, into <paramref name="scores"/>.</summary>
    /// <exception cref="ArgumentException">The token width is not <see cref="HiddenSize"/>, <paramref name="scores"/> has another length, or a value is not finite.</exception>
    public void MaxSimilarity(ReadOnlySpan<Half> tokens, int n, Span<float> scores)
    {
        RequireShape(tokens.Length, n, scores.Length);
        unsafe
        {
            fixed (Half* t = tokens)
            fixed (float* s = scores)
            {
                Score((nint)t, isHalf: true, n, s);
            }
        }
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

    /// <summary>Scores <paramref name="n"/> tokens at <paramref name="tokens"/> (float32, or float16 when <paramref name="isHalf"/>) into <paramref name="scores"/>.</summary>
    private unsafe void Score(nint tokens, bool isHalf, int n, float* scores)
    {
        if (n == 0)
        {
            return;
        }

        var hidden = HiddenSize;
        var panels = (n + PanelTokens - 1) / PanelTokens;
        var firstBad = long.MaxValue;
        var scoresAt = (nint)scores;
        fixed (float* prototypes = _unitPrototypes)
        {
            var prototypesAt = (nint)prototypes;
            void Panel(int panel)
            {
                var start = panel * PanelTokens;
                var count = Math.Min(PanelTokens, n - start);
                var length = count * hidden;
                float[]? widened = null;
                try
                {
                    ReadOnlySpan<float> rows;
                    if (isHalf)
                    {
                        widened = ArrayPool<float>.Shared.Rent(length);
                        TensorPrimitives.ConvertToSingle(new ReadOnlySpan<Half>((Half*)tokens + ((long)start * hidden), length), widened.AsSpan(0, length));
                        rows = widened.AsSpan(0, length);
                    }
                    else
                    {
                        rows = new ReadOnlySpan<float>((float*)tokens + ((long)start * hidden), length);
                    }

                    var bad = FirstNonFinite(rows);
                    if (bad >= 0)
                    {
                        InterlockedMin(ref firstBad, ((long)start * hidden) + bad);
                        return;
                    }

                    ScorePanel(rows, count, new ReadOnlySpan<float>((float*)prototypesAt, _unitPrototypes.Length), new Span<float>((float*)scoresAt + start, count));
                }
                finally
                {
                    if (widened is not null)
                    {
                        ArrayPool<float>.Shared.Return(widened);
                    }
                }
            }

            if ((long)n * Count * hidden >= ParallelWork && panels > 1)
            {
                Parallel.For(0, panels, Panel);
            }
            else
            {
                for (var panel = 0; panel < panels; panel++)
                {
                    Panel(panel);
                }
            }
        }

        if (firstBad != long.MaxValue)
        {
            var value = isHalf ? (float)((Half*)tokens)[firstBad] : ((float*)tokens)[firstBad];
            throw new ArgumentException($"tokens: token {firstBad / hidden}, element {firstBad % hidden} is {value}; values must be finite", "tokens");
        }
    }

    /// <summary>The scores of the <paramref name="count"/> tokens in <paramref name="rows"/> against every unit prototype.</summary>
    private void ScorePanel(ReadOnlySpan<float> rows, int count, ReadOnlySpan<float> prototypes, Span<float> scores)
    {
        var hidden = HiddenSize;
        Span<float> best = stackalloc float[PanelTokens + 3];
        best.Fill(float.NegativeInfinity);
        Span<float> dots = stackalloc float[8];
        for (var p = 0; p < Count; p += 2)
        {
            // An odd last prototype is paired with itself, so every pair goes through the same kernel.
            var p0 = prototypes.Slice(p * hidden, hidden);
            var p1 = prototypes.Slice(Math.Min(p + 1, Count - 1) * hidden, hidden);
            for (var t = 0; t < count; t += 4)
            {
                // A short last block repeats its last token; its extra results land in best's padding.
                var a = rows.Slice(t * hidden, hidden);
                var b = rows.Slice(Math.Min(t + 1, count - 1) * hidden, hidden);
                var c = rows.Slice(Math.Min(t + 2, count - 1) * hidden, hidden);
                var d = rows.Slice(Math.Min(t + 3, count - 1) * hidden, hidden);
                Dot4x2(p0, p1, a, b, c, d, dots);
                for (var k = 0; k < 4; k++)
                {
                    best[t + k] = Math.Max(best[t + k], Math.Max(dots[k], dots[4 + k]));
                }
            }
        }

        for (var t = 0; t < count; t++)
        {
            var norm = Norm(rows.Slice(t * hidden, hidden));
            scores[t] = norm > 0 ? (float)(best[t] / norm) : 0f;
        }
    }

    /// <summary>
    /// The eight dot products of prototypes <paramref name="p0"/>, <paramref name="p1"/> with tokens
    /// <paramref name="a"/>..<paramref name="d"/>: <paramref name="result"/>[k] = p0·token k, [4 + k] = p1·token k.
    /// Eight accumulators and six loads fit the sixteen vector registers of AVX2.
    /// </summary>
    private static void Dot4x2(
        ReadOnlySpan<float> p0, ReadOnlySpan<float> p1, ReadOnlySpan<float> a, ReadOnlySpan<float> b, ReadOnlySpan<float> c, ReadOnlySpan<float> d, Span<float> result)
    {
        var p0v = MemoryMarshal.Cast<float, Vector<float>>(p0);
        var p1v = MemoryMarshal.Cast<float, Vector<float>>(p1);
        var av = MemoryMarshal.Cast<float, Vector<float>>(a);
        var bv = MemoryMarshal.Cast<float, Vector<float>>(b);
        var cv = MemoryMarshal.Cast<float, Vector<float>>(c);
        var dv = MemoryMarshal.Cast<float, Vector<float>>(d);
        Vector<float> a0 = default, b0 = default, c0 = default, d0 = default;
        Vector<float> a1 = default, b1 = default, c1 = default, d1 = default;
        for (var i = 0; i < p0v.Length; i++)
        {
            var x0 = p0v[i];
            var x1 = p1v[i];
            var ta = av[i];
            var tb = bv[i];
            var tc = cv[i];
            var td = dv[i];
            a0 = Vector.FusedMultiplyAdd(x0, ta, a0);
            b0 = Vector.FusedMultiplyAdd(x0, tb, b0);
            c0 = Vector.FusedMultiplyAdd(x0, tc, c0);
            d0 = Vector.FusedMultiplyAdd(x0, td, d0);
            a1 = Vector.FusedMultiplyAdd(x1, ta, a1);
            b1 = Vector.FusedMultiplyAdd(x1, tb, b1);
            c1 = Vector.FusedMultiplyAdd(x1, tc, c1);
            d1 = Vector.FusedMultiplyAdd(x1, td, d1);
        }

        float ra0 = Vector.Sum(a0), rb0 = Vector.Sum(b0), rc0 = Vector.Sum(c0), rd0 = Vector.Sum(d0);
        float ra1 = Vector.Sum(a1), rb1 = Vector.Sum(b1), rc1 = Vector.Sum(c1), rd1 = Vector.Sum(d1);
        for (var j = p0v.Length * Vector<float>.Count; j < p0.Length; j++)
        {
            ra0 += p0[j] * a[j];
            rb0 += p0[j] * b[j];
            rc0 += p0[j] * c[j];
            rd0 += p0[j] * d[j];
            ra1 += p1[j] * a[j];
            rb1 += p1[j] * b[j];
            rc1 += p1[j] * c[j];
            rd1 += p1[j] * d[j];
        }

        result[0] = ra0;
        result[1] = rb0;
        result[2] = rc0;
        result[3] = rd0;
        result[4] = ra1;
        result[5] = rb1;
        result[6] = rc1;
        result[7] = rd1;
    }

    private static double Norm(ReadOnlySpan<float> row)
    {
        var sum = 0.0;
        foreach (var v in row)
        {
            sum += (double)v * v;
        }

        return Math.Sqrt(sum);
    }

    /// <summary>The index of the first NaN or infinity in <paramref name="values"/>, or −1; x − x is 0 exactly for every finite x.</summary>
    private static int FirstNonFinite(ReadOnlySpan<float> values)
    {
        var vectors = MemoryMarshal.Cast<float, Vector<float>>(values);
        var i = 0;
        for (; i < vectors.Length; i++)
        {
            if (!Vector.EqualsAll(vectors[i] - vectors[i], Vector<float>.Zero))
            {
                break;
            }
        }

        for (var j = i * Vector<float>.Count; j < values.Length; j++)
        {
            if (!float.IsFinite(values[j]))
            {
                return j;
            }
        }

        return -1;
    }

    private static void InterlockedMin(ref long target, long value)
    {
        var current = Volatile.Read(ref target);
        while (value < current)
        {
            var seen = Interlocked.CompareExchange(ref target, value, current);
            if (seen == current)
            {
                return;
            }

            current = seen;
        }
    }
}
