using Mining.Probe.Codebooks;
using Mining.Probe.Pruning;

namespace Mining.Kernels.Codebooks;

/// <summary>Measures what deduplication costs the probe: keep-decisions that change on given tokens (ARCHITECTURE §1).</summary>
/// <remarks>Decisions are the probe's own (<see cref="PrototypeProbe"/>), so the report speaks of what inference nodes will do.</remarks>
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

        var before = ProbeOf(original, nameof(original), hidden);
        var after = ProbeOf(deduplicated, nameof(deduplicated), hidden);
        var thresholdChanged = Changed(before.KeepByThreshold(tokens, count, tau), after.KeepByThreshold(tokens, count, tau), count);
        var ratioChanged = Changed(before.KeepByRatio(tokens, count, ratio), after.KeepByRatio(tokens, count, ratio), count);
        return new DedupImpactResult(count, thresholdChanged, ratioChanged, PrototypeProbe.KeepCount(count, ratio));
    }

    private static PrototypeProbe ProbeOf(IReadOnlyList<CodebookEntry> prototypes, string name, int hidden)
    {
        var flat = new float[prototypes.Count * hidden];
        for (var p = 0; p < prototypes.Count; p++)
        {
            if (prototypes[p]?.Embedding is not { } embedding || embedding.Length != hidden)
            {
                throw new ArgumentException($"{name}[{p}] has an embedding of length {prototypes[p]?.Embedding?.Length ?? 0}, expected {hidden}", name);
            }

            embedding.CopyTo(flat, p * hidden);
        }

        return new PrototypeProbe(flat, prototypes.Count, hidden);
    }

    /// <summary>Tokens kept by one decision and not the other.</summary>
    private static int Changed(int[] keptBefore, int[] keptAfter, int count)
    {
        var before = new bool[count];
        foreach (var t in keptBefore)
        {
            before[t] = true;
        }

        var after = new bool[count];
        foreach (var t in keptAfter)
        {
            after[t] = true;
        }

        return Enumerable.Range(0, count).Count(t => before[t] != after[t]);
    }
}
