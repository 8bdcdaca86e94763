using Mining.Kernels.Experiments;

namespace Mining.Kernels.Model;

/// <summary>
/// Decides how the variants of one or more images run (see <see cref="ScoringPlan"/>). Every sequence continues the
/// prompt-prefix cache, so a variant costs its visual tokens plus the suffix. Then:
/// <list type="bullet">
/// <item>Global branching: in a request with at least two variants whose first m ≥ <see cref="EngineOptions.BranchMinimum"/>
/// visual tokens are the image's tokens 0…m−1 (the baseline, and every global leave-one-out variant whose window starts
/// at index m), those positions have the baseline's keys and values. One trunk forward over tokens 0…M−1 (M the largest
/// such m) keeps them; each such variant then computes only its positions from m on. Branches are sorted by m and cut
/// into batches that share the cache up to their smallest m (the members above it recompute a few positions whose
/// values the cache already holds: exact, and cheaper than padding caches of different lengths).</item>
/// <item>Every other variant of every request is sorted by length and packed into batches.</item>
/// </list>
/// Both cuts use <see cref="BatchPartition"/> with the token budget and <see cref="EngineOptions.CallCostTokens"/>.
/// </summary>
public static class ScoringPlanner
{
    /// <summary>Plans the variants of each request (<see cref="VisualVariant.Pad"/> marks pad slots) for a prompt suffix of <paramref name="suffixLength"/> ids.</summary>
    public static ScoringPlan Plan(IReadOnlyList<IReadOnlyList<int[]>> requests, int suffixLength, int maxBatchTokens, EngineOptions options)
    {
        ArgumentNullException.ThrowIfNull(requests);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (suffixLength < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(suffixLength), suffixLength, "the engine needs a prompt suffix of at least one id: the first answer token's logits are read at its last position");
        }

        var packed = new List<(VariantSlot Slot, int End)>();
        var trunks = new List<PlannedTrunk>();
        for (var r = 0; r < requests.Count; r++)
        {
            var variants = requests[r];
            var shared = variants.Select(IdentityPrefix).ToArray();
            var branching = Enumerable.Range(0, variants.Count).Where(v => shared[v] >= options.BranchMinimum).ToArray();
            if (branching.Length < 2)
            {
                branching = [];
            }
            else
            {
                trunks.Add(Trunk(r, variants, shared, branching, suffixLength, maxBatchTokens, options));
            }

            var branched = branching.ToHashSet();
            for (var v = 0; v < variants.Count; v++)
            {
                if (!branched.Contains(v))
                {
                    packed.Add((new VariantSlot(r, v), variants[v].Length + suffixLength));
                }
            }
        }

        // Shortest first; ties keep request and variant order, so a plan is reproducible.
        var sorted = packed.OrderBy(p => p.End).ThenBy(p => p.Slot.Request).ThenBy(p => p.Slot.Variant).ToArray();
        var batches = BatchPartition.Partition(sorted.Select(p => (0, p.End)).ToArray(), maxBatchTokens, options.CallCostTokens)
            .Select(range => new PlannedBatch(0, sorted[range.End.Value - 1].End, sorted[range].Select(p => p.Slot).ToArray()))
            .ToArray();
        return new ScoringPlan(batches, trunks);
    }

    /// <summary>How many leading entries of <paramref name="variant"/> are 0, 1, 2, … (the image's tokens in order).</summary>
    public static int IdentityPrefix(int[] variant)
    {
        ArgumentNullException.ThrowIfNull(variant);
        var m = 0;
        while (m < variant.Length && variant[m] == m)
        {
            m++;
        }

        return m;
    }

    private static PlannedTrunk Trunk(int request, IReadOnlyList<int[]> variants, int[] shared, int[] branching, int suffixLength, int maxBatchTokens, EngineOptions options)
    {
        var tokens = branching.Max(v => shared[v]);
        var identical = Array.FindIndex(branching, v => shared[v] == tokens && variants[v].Length == tokens);
        int? trunkVariant = identical < 0 ? null : branching[identical];
        var rest = branching.Where(v => v != trunkVariant)
            .OrderBy(v => shared[v]).ThenBy(v => variants[v].Length).ThenBy(v => v)
            .ToArray();
        var spans = rest.Select(v => (Start: shared[v], End: variants[v].Length + suffixLength)).ToArray();
        var branches = BatchPartition.Partition(spans, maxBatchTokens, options.CallCostTokens)
            .Select(range =>
            {
                var members = spans[range];
                var start = members[0].Start;
                return new PlannedBatch(start, members.Max(s => s.End) - start, rest[range].Select(v => new VariantSlot(request, v)).ToArray());
            })
            .ToArray();
        return new PlannedTrunk(request, tokens, trunkVariant, branches);
    }
}
