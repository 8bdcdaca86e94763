using Mining.Kernels.Clustering;

namespace Mining.Kernels.Codebooks;

/// <summary>Measures what deduplication costs the probe: keep-decisions that change on given tokens (ARCHITECTURE §1).</summary>
/// <remarks>
/// Carries its own plain max-cosine so that Codebooks does not depend on the probe library; the probe's
/// definitions are the same (ARCHITECTURE §1, Probe): s(t) = max over prototypes of cosine(t, p), a zero vector
/// having cosine 0 with everything (as with <c>F.normalize</c>'s ε).
/// </remarks>
public static class DedupImpact
{
    /// <summary>
    /// Probes the <paramref name="count"/> tokens (row-major count×<paramref name="hidden"/>, treated as one group of
    /// N = count) with <paramref name="original"/> and with <paramref name="deduplicated"/>, and counts the tokens whose
    /// decision differs. Threshold mode keeps s(t) &lt; <paramref name="tau"/>; ratio mode keeps the
    /// round(N·<paramref name="ratio"/>) tokens of lowest s(t) (half to even, as Python's <c>round</c> in the
    /// reference; equal s: the lower index).
    /// </summary>
    public static DedupImpactResult Measure(
        IReadOnlyList<CodebookEntry> original,
        IReadOnlyList<CodebookEntry> deduplicated,
        float[] tokens,
        int count,
        int hidden,
        double tau,
        double ratio)
    {
        ArgumentNullException.ThrowIfNull(original);
        ArgumentNullException.ThrowIfNull(deduplicated);
        ArgumentNullException.ThrowIfNull(tokens);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfLessThan(hidden, 1);
        if (tokens.Length != (long)count * hidden)
        {
            throw new ArgumentException($"tokens holds {tokens.Length} values, expected count·hidden = {count}·{hidden}", nameof(tokens));
        }

        if (!double.IsFinite(tau))
        {
            throw new ArgumentOutOfRangeException(nameof(tau), tau, "tau must be finite");
        }

        if (!double.IsFinite(ratio) || ratio < 0 || ratio > 1)
        {
            throw new ArgumentOutOfRangeException(nameof(ratio), ratio, "ratio must lie in [0, 1]");
        }

        var before = MaxCosine(original, nameof(original), tokens, count, hidden);
        var after = MaxCosine(deduplicated, nameof(deduplicated), tokens, count, hidden);
        var keepCount = (int)Math.Round(count * ratio, MidpointRounding.ToEven);
        var ratioBefore = LowestKept(before, keepCount);
        var ratioAfter = LowestKept(after, keepCount);
        var thresholdChanged = 0;
        var ratioChanged = 0;
        for (var t = 0; t < count; t++)
        {
            if ((before[t] < tau) != (after[t] < tau))
            {
                thresholdChanged++;
            }

            if (ratioBefore[t] != ratioAfter[t])
            {
                ratioChanged++;
            }
        }

        return new DedupImpactResult(count, thresholdChanged, ratioChanged, keepCount);
    }

    private static double[] MaxCosine(IReadOnlyList<CodebookEntry> prototypes, string name, float[] tokens, int count, int hidden)
    {
        var norms = new double[prototypes.Count];
        for (var p = 0; p < prototypes.Count; p++)
        {
            if (prototypes[p]?.Embedding is not { } embedding || embedding.Length != hidden)
            {
                throw new ArgumentException($"{name}[{p}] has an embedding of length {prototypes[p]?.Embedding?.Length ?? 0}, expected {hidden}", name);
            }

            norms[p] = RowArithmetic.Norm(embedding);
        }

        var s = new double[count];
        Parallel.For(0, count, t =>
        {
            var token = tokens.AsSpan(t * hidden, hidden);
            var tokenNorm = RowArithmetic.Norm(token);
            var best = double.NegativeInfinity;
            for (var p = 0; p < prototypes.Count; p++)
            {
                var denominator = tokenNorm * norms[p];
                var cosine = denominator == 0 ? 0 : RowArithmetic.Dot(token, prototypes[p].Embedding) / denominator;
                best = Math.Max(best, cosine);
            }

            s[t] = best;
        });
        return s;
    }

    private static bool[] LowestKept(double[] s, int keepCount)
    {
        var order = new int[s.Length];
        for (var i = 0; i < order.Length; i++)
        {
            order[i] = i;
        }

        Array.Sort(order, (a, b) =>
        {
            var bySimilarity = s[a].CompareTo(s[b]);
            return bySimilarity != 0 ? bySimilarity : a.CompareTo(b);
        });
        var kept = new bool[s.Length];
        for (var r = 0; r < keepCount; r++)
        {
            kept[order[r]] = true;
        }

        return kept;
    }
}
