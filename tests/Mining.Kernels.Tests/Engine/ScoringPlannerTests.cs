using Mining.Kernels.Experiments;
using Mining.Kernels.Model;

namespace Mining.Kernels.Tests.Engine;

/// <summary>The plan is pure arithmetic on the variants: these tests need no model.</summary>
public sealed class ScoringPlannerTests
{
    private const int Grid = 6;
    private const int Suffix = 20;
    private static readonly EngineOptions Options = new(BranchMinimum: 4, CallCostTokens: 32);

    [Fact]
    public void Every_variant_of_every_request_is_planned_exactly_once()
    {
        var requests = new[] { ExperimentVariants(), ExperimentVariants().Take(20).ToArray(), ExperimentVariants().Skip(50).ToArray() };

        var plan = ScoringPlanner.Plan(requests, Suffix, maxBatchTokens: 400, Options);

        var planned = plan.Packed.SelectMany(b => b.Members)
            .Concat(plan.Trunks.SelectMany(t => t.Branches.SelectMany(b => b.Members)))
            .Concat(plan.Trunks.Where(t => t.Variant is not null).Select(t => new VariantSlot(t.Request, t.Variant!.Value)))
            .ToArray();
        var expected = requests.SelectMany((variants, r) => variants.Select((_, v) => new VariantSlot(r, v))).ToArray();
        Assert.Equal(expected.Length, planned.Length);
        Assert.Equal(expected.ToHashSet(), planned.ToHashSet());
    }

    [Fact]
    public void Batches_stay_within_the_token_budget_unless_they_hold_one_variant()
    {
        var plan = ScoringPlanner.Plan([ExperimentVariants()], Suffix, maxBatchTokens: 50, Options);

        var batches = plan.Packed.Concat(plan.Trunks.SelectMany(t => t.Branches)).ToArray();
        Assert.All(batches, b => Assert.True(b.PaddedTokens <= 50 || b.Members.Count == 1, $"{b.Members.Count} members × {b.QueryLength} positions"));
        Assert.Contains(batches, b => b.Members.Count == 1 && b.PaddedTokens > 50); // 36 image tokens and the suffix exceed 50 on their own
        Assert.Contains(batches, b => b.Members.Count > 1);
    }

    [Fact]
    public void The_baseline_is_the_trunk_and_global_variants_with_a_long_enough_shared_run_branch_from_it()
    {
        var variants = ExperimentVariants();

        var plan = ScoringPlanner.Plan([variants], Suffix, maxBatchTokens: 10_000, Options);

        var trunk = Assert.Single(plan.Trunks);
        Assert.Equal(Grid * Grid, trunk.Tokens);
        Assert.Equal(0, trunk.Variant); // the baseline is variant 0
        var branched = trunk.Branches.SelectMany(b => b.Members).Select(m => variants[m.Variant]).ToArray();
        Assert.All(branched, v => Assert.True(ScoringPlanner.IdentityPrefix(v) >= Options.BranchMinimum));
        // Global variants whose window starts before token 4 stay with the prefix-only batches.
        var packedGlobal = plan.Packed.SelectMany(b => b.Members).Select(m => variants[m.Variant]).Where(v => v.Length == Grid * Grid).ToArray();
        Assert.NotEmpty(packedGlobal);
        Assert.All(packedGlobal, v => Assert.True(ScoringPlanner.IdentityPrefix(v) < Options.BranchMinimum));
    }

    [Fact]
    public void A_branch_batch_shares_the_cache_only_up_to_its_smallest_member_prefix()
    {
        var variants = ExperimentVariants();

        var plan = ScoringPlanner.Plan([variants], Suffix, maxBatchTokens: 10_000, Options);

        foreach (var batch in plan.Trunks.SelectMany(t => t.Branches))
        {
            var prefixes = batch.Members.Select(m => ScoringPlanner.IdentityPrefix(variants[m.Variant])).ToArray();
            Assert.Equal(prefixes.Min(), batch.SharedTokens);
            Assert.Equal(batch.Members.Max(m => variants[m.Variant].Length) + Suffix - batch.SharedTokens, batch.QueryLength);
        }
    }

    [Fact]
    public void A_single_variant_with_a_shared_run_needs_no_trunk()
    {
        int[][] variants = [VisualVariant.GlobalWindowPadded(35, Grid), VisualVariant.Single(3, 1)];

        var plan = ScoringPlanner.Plan([variants], Suffix, maxBatchTokens: 10_000, Options);

        Assert.Empty(plan.Trunks);
        Assert.Equal(2, plan.Packed.Sum(b => b.Members.Count));
    }

    [Fact]
    public void Packed_batches_hold_variants_sorted_by_length()
    {
        var plan = ScoringPlanner.Plan([ExperimentVariants()], Suffix, maxBatchTokens: 400, Options);

        var lengths = plan.Packed.Select(b => b.QueryLength).ToArray();
        Assert.Equal(lengths.Order().ToArray(), lengths);
    }

    [Fact]
    public void Identity_prefix_counts_the_leading_run_of_zero_one_two()
    {
        Assert.Equal(0, ScoringPlanner.IdentityPrefix([]));
        Assert.Equal(0, ScoringPlanner.IdentityPrefix([1, 2]));
        Assert.Equal(3, ScoringPlanner.IdentityPrefix([0, 1, 2, VisualVariant.Pad, 4]));
        Assert.Equal(2, ScoringPlanner.IdentityPrefix([0, 1]));
    }

    [Fact]
    public void A_suffix_of_no_ids_is_rejected_with_its_name()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => ScoringPlanner.Plan([ExperimentVariants()], 0, 100, Options));
        Assert.Equal("suffixLength", e.ParamName);
    }

    /// <summary>The experiments' variants for every token of a 6×6 grid, baseline first, as ImageExperiment builds them.</summary>
    private static int[][] ExperimentVariants()
    {
        var variants = new List<int[]> { VisualVariant.Baseline(Grid * Grid) };
        for (var token = 0; token < Grid * Grid; token++)
        {
            variants.Add(VisualVariant.Single(token, 1));
            variants.Add(VisualVariant.Window(token, Grid));
            variants.Add(VisualVariant.WindowCenterPadded(token, Grid));
            variants.Add(VisualVariant.GlobalWindowPadded(token, Grid));
        }

        return [.. variants];
    }
}
