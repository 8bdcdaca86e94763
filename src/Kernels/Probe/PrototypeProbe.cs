using System.Numerics;
using System.Runtime.InteropServices;
using Mining.Kernels.Codebooks;

namespace Mining.Kernels.Probe;

/// <summary>
/// The inference-side probe (ARCHITECTURE §1, "Probe"): scores visual tokens by their largest cosine similarity
/// to any redundant prototype, s(t) = max_p cos(t, p), and keeps the tokens least like a prototype.
/// </summary>
/// <remarks>
/// Prototypes are normalised once, here; a token's score is its largest dot product with a unit prototype divided
/// by its own norm, which equals the cosine. A zero vector (token or prototype) has cosine 0 with everything,
/// matching the reference's <c>F.normalize</c>, which leaves a zero vector zero (reference: LLaVA_NeXT
/// llava_arch.py, <c>high_info_patch</c>). Every token goes through the same arithmetic, so equal tokens get
/// bit-identical scores and ties break by index as documented. Instances are immutable and thread-safe.
/// </remarks>
public sealed class PrototypeProbe
{
    // Tokens are scored four at a time so each prototype row is loaded once per four dot products.
    private const int Block = 4;

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

        RequireFinite(prototypes, hidden, nameof(prototypes), "prototype");
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

    /// <summary>A probe over every prototype of <paramref name="codebook"/>.</summary>
    public static PrototypeProbe FromCodebook(Codebook codebook)
    {
        ArgumentNullException.ThrowIfNull(codebook);
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
        RequireRatio(ratio);
        return (int)Math.Round(tokenCount * ratio, MidpointRounding.ToEven);
    }

    /// <summary>
    /// s(t) for each of the <paramref name="n"/> tokens in <paramref name="tokens"/> (row-major [n, HiddenSize]):
    /// the largest cosine similarity to any prototype; 0 for a zero token.
    /// </summary>
    /// <exception cref="ArgumentException">The token width is not <see cref="HiddenSize"/> (the message gives both), or a value is not finite.</exception>
    public float[] MaxSimilarity(float[] tokens, int n)
    {
        RequireTokens(tokens, n);
        var hidden = HiddenSize;
        var scores = new float[n];
        Span<float> dots = stackalloc float[Block];
        Span<float> best = stackalloc float[Block];
        Span<double> norms = stackalloc double[Block];
        Span<int> slots = stackalloc int[Block];
        for (var start = 0; start < n; start += Block)
        {
            // A short last block repeats its last token, so every token is scored by the same four-wide kernel.
            for (var k = 0; k < Block; k++)
            {
                slots[k] = Math.Min(start + k, n - 1);
                norms[k] = Norm(tokens.AsSpan(slots[k] * hidden, hidden));
            }

            best.Fill(float.NegativeInfinity);
            var a = tokens.AsSpan(slots[0] * hidden, hidden);
            var b = tokens.AsSpan(slots[1] * hidden, hidden);
            var c = tokens.AsSpan(slots[2] * hidden, hidden);
            var d = tokens.AsSpan(slots[3] * hidden, hidden);
            for (var p = 0; p < Count; p++)
            {
                Dot4(_unitPrototypes.AsSpan(p * hidden, hidden), a, b, c, d, dots);
                for (var k = 0; k < Block; k++)
                {
                    best[k] = Math.Max(best[k], dots[k]);
                }
            }

            for (var k = 0; k < Block && start + k < n; k++)
            {
                scores[start + k] = norms[k] > 0 ? (float)(best[k] / norms[k]) : 0f;
            }
        }

        return scores;
    }

    /// <summary>
    /// Threshold mode: the indices, ascending, of the tokens with s(t) &lt; <paramref name="tau"/> (the reference's
    /// LLaVA-1.5 setting is τ = 0.45).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="tau"/> is NaN or infinite.</exception>
    public int[] KeepByThreshold(float[] tokens, int n, double tau)
    {
        if (!double.IsFinite(tau))
        {
            throw new ArgumentOutOfRangeException(nameof(tau), tau, "the probe threshold τ must be a finite number");
        }

        var scores = MaxSimilarity(tokens, n);
        return Enumerable.Range(0, n).Where(i => scores[i] < tau).ToArray();
    }

    /// <summary>
    /// Ratio mode: the <see cref="KeepCount"/>(n, <paramref name="ratio"/>) tokens with the lowest s(t), equal
    /// scores taken in index order, returned in their original (ascending) order.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="ratio"/> is outside [0, 1] or NaN.</exception>
    public int[] KeepByRatio(float[] tokens, int n, double ratio)
    {
        var keep = KeepCount(n, ratio);
        var scores = MaxSimilarity(tokens, n);
        var order = Enumerable.Range(0, n).ToArray();
        Array.Sort(order, (i, j) => scores[i] != scores[j] ? scores[i].CompareTo(scores[j]) : i.CompareTo(j));
        var kept = order[..keep];
        Array.Sort(kept);
        return kept;
    }

    private void RequireTokens(float[] tokens, int n)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        var expected = (long)n * HiddenSize;
        if (tokens.LongLength != expected)
        {
            var actual = n > 0 && tokens.LongLength % n == 0
                ? $"{n} tokens of width {tokens.LongLength / n}"
                : $"{tokens.LongLength} values, which is not {n} tokens of any whole width";
            throw new ArgumentException(
                $"tokens: expected {n} tokens of width {HiddenSize} (the prototypes' hidden size, {expected} values), got {actual}", nameof(tokens));
        }

        RequireFinite(tokens, HiddenSize, nameof(tokens), "token");
    }

    private static void RequireRatio(double ratio)
    {
        if (!(ratio >= 0 && ratio <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(ratio), ratio, "the probe keep ratio must lie in [0, 1]");
        }
    }

    private static void RequireFinite(float[] values, int hidden, string name, string what)
    {
        for (var i = 0; i < values.Length; i++)
        {
            if (!float.IsFinite(values[i]))
            {
                throw new ArgumentException($"{name}: {what} {i / hidden}, element {i % hidden} is {values[i]}; values must be finite", name);
            }
        }
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

    /// <summary>Four dot products of <paramref name="p"/> with <paramref name="a"/>..<paramref name="d"/>, SIMD over the width.</summary>
    private static void Dot4(ReadOnlySpan<float> p, ReadOnlySpan<float> a, ReadOnlySpan<float> b, ReadOnlySpan<float> c, ReadOnlySpan<float> d, Span<float> result)
    {
        var pv = MemoryMarshal.Cast<float, Vector<float>>(p);
        var av = MemoryMarshal.Cast<float, Vector<float>>(a);
        var bv = MemoryMarshal.Cast<float, Vector<float>>(b);
        var cv = MemoryMarshal.Cast<float, Vector<float>>(c);
        var dv = MemoryMarshal.Cast<float, Vector<float>>(d);
        Vector<float> sa = default, sb = default, sc = default, sd = default;
        for (var i = 0; i < pv.Length; i++)
        {
            sa += pv[i] * av[i];
            sb += pv[i] * bv[i];
            sc += pv[i] * cv[i];
            sd += pv[i] * dv[i];
        }

        float ra = Vector.Sum(sa), rb = Vector.Sum(sb), rc = Vector.Sum(sc), rd = Vector.Sum(sd);
        for (var j = pv.Length * Vector<float>.Count; j < p.Length; j++)
        {
            ra += p[j] * a[j];
            rb += p[j] * b[j];
            rc += p[j] * c[j];
            rd += p[j] * d[j];
        }

        result[0] = ra;
        result[1] = rb;
        result[2] = rc;
        result[3] = rd;
    }
}
