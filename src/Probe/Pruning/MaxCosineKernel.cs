using System.Buffers;
using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;

namespace Mining.Probe.Pruning;

/// <summary>
/// The arithmetic behind <see cref="PrototypeProbe"/>: each token's largest cosine similarity to a set of prototypes,
/// max_p cos(t, p), over float32 or float16 tokens.
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
/// arithmetic whatever its place in a tile, so equal tokens get bit-identical scores. Float16 tokens are widened
/// exactly to float32 panel by panel, so a float16 token and its float32 widening score bit-identically.
/// Instances are immutable and thread-safe.
/// </para>
/// </remarks>
internal sealed class MaxCosineKernel
{
    /// <summary>Tokens per panel: 32 × 4096 float32 is 512 KiB, which fits a core's L2 cache next to two prototype rows.</summary>
    public const int PanelTokens = 32;

    // Below this many multiply-adds a parallel loop costs more than it saves.
    private const long ParallelWork = 1L << 22;

    private readonly float[] _unitPrototypes;

    /// <summary>A kernel over <paramref name="count"/> finite prototypes of width <paramref name="hidden"/>, row-major in <paramref name="prototypes"/> (not modified).</summary>
    public MaxCosineKernel(float[] prototypes, int count, int hidden)
    {
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

    /// <summary>The index of the first NaN or infinity in <paramref name="values"/>, or −1; x − x is 0 exactly for every finite x.</summary>
    public static int FirstNonFinite(ReadOnlySpan<float> values)
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

    /// <summary>The scores of the <c>scores.Length</c> float32 tokens in <paramref name="tokens"/> (row-major, width <see cref="HiddenSize"/>).</summary>
    /// <exception cref="ArgumentException">A token value is not finite (the message names the first one).</exception>
    public unsafe void Score(ReadOnlySpan<float> tokens, Span<float> scores)
    {
        fixed (float* t = tokens)
        fixed (float* s = scores)
        {
            Score((nint)t, isHalf: false, scores.Length, s);
        }
    }

    /// <summary>The scores of the <c>scores.Length</c> float16 tokens in <paramref name="tokens"/>, each widened exactly to float32.</summary>
    /// <exception cref="ArgumentException">A token value is not finite (the message names the first one).</exception>
    public unsafe void Score(ReadOnlySpan<Half> tokens, Span<float> scores)
    {
        fixed (Half* t = tokens)
        fixed (float* s = scores)
        {
            Score((nint)t, isHalf: true, scores.Length, s);
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

}
