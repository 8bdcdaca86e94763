namespace Mining.Kernels.Model;

/// <summary>
/// Splits a sorted run of sequences into consecutive batches under a token budget, minimising padded positions plus a
/// fixed cost per batch (dynamic programming over the split points).
/// </summary>
public static class BatchPartition
{
    /// <summary>
    /// <paramref name="spans"/>[i] = (Start, End): sequence i needs positions [Start, End), where positions below
    /// Start come from a cache that every batch member can share only up to the batch's smallest Start; spans must be
    /// sorted by Start. A batch [i, j) computes (j − i) × (max End − Start_i) positions and may not exceed
    /// <paramref name="budget"/> unless it holds a single sequence. Returns the batches as ranges, in order.
    /// </summary>
    public static IReadOnlyList<Range> Partition(IReadOnlyList<(int Start, int End)> spans, int budget, int callCost)
    {
        ArgumentNullException.ThrowIfNull(spans);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(budget);
        ArgumentOutOfRangeException.ThrowIfNegative(callCost);
        for (var i = 0; i < spans.Count; i++)
        {
            if (spans[i].End <= spans[i].Start)
            {
                throw new ArgumentException($"spans[{i}] = [{spans[i].Start}, {spans[i].End}) is empty", nameof(spans));
            }

            if (i > 0 && spans[i].Start < spans[i - 1].Start)
            {
                throw new ArgumentException($"spans must be sorted by start: spans[{i}] starts at {spans[i].Start}, before spans[{i - 1}]", nameof(spans));
            }
        }

        var count = spans.Count;
        var best = new long[count + 1]; // best[j]: cheapest cost of the first j sequences
        var split = new int[count + 1]; // split[j]: where the last batch of that solution starts
        for (var j = 1; j <= count; j++)
        {
            best[j] = long.MaxValue;
            var end = 0;
            for (var i = j - 1; i >= 0; i--)
            {
                end = Math.Max(end, spans[i].End);
                var tokens = (long)(j - i) * (end - spans[i].Start);
                // Moving i down adds a member, never lowers End and never raises Start, so tokens only grow.
                if (tokens > budget && i < j - 1)
                {
                    break;
                }

                var cost = best[i] + tokens + callCost;
                if (cost < best[j])
                {
                    best[j] = cost;
                    split[j] = i;
                }
            }
        }

        var batches = new List<Range>();
        for (var j = count; j > 0; j = split[j])
        {
            batches.Add(new Range(split[j], j));
        }

        batches.Reverse();
        return batches;
    }
}
