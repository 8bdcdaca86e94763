namespace Mining.Kernels.Experiments;

/// <summary>The indices of the k largest entries of a logit vector, largest first.</summary>
/// <remarks>
/// Equal values order by lower index first, so results are deterministic (torch.topk leaves ties
/// unspecified). One pass keeps the current best k sorted; most entries are rejected by one comparison.
/// </remarks>
internal static class TopIndices
{
    public static int[] Of(float[] values, int k, string name)
    {
        ArgumentNullException.ThrowIfNull(values, name);
        if (k < 1 || k > values.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(k), k, $"top-k must lie in [1, {values.Length}] for the {values.Length} entries of {name}");
        }

        var best = new int[k];
        var count = 0;
        for (var i = 0; i < values.Length; i++)
        {
            var v = values[i];
            if (!float.IsFinite(v))
            {
                throw new ArgumentException($"{name} holds {v} at index {i}; logits must be finite", name);
            }

            // Scanning in index order, an equal value never displaces an earlier one.
            if (count == k && v <= values[best[k - 1]])
            {
                continue;
            }

            var slot = count < k ? count++ : k - 1;
            while (slot > 0 && values[best[slot - 1]] < v)
            {
                best[slot] = best[slot - 1];
                slot--;
            }

            best[slot] = i;
        }

        return best;
    }
}
