using Mining.Kernels.Model;

namespace Mining.Kernels.Tests.Engine;

public sealed class BatchPartitionTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void The_partition_costs_what_the_cheapest_of_all_consecutive_splits_costs(int seed)
    {
        var random = new Random(seed);
        var spans = Enumerable.Range(0, 9)
            .Select(_ => (Start: random.Next(0, 30), Length: random.Next(1, 40)))
            .OrderBy(s => s.Start)
            .Select(s => (s.Start, End: s.Start + s.Length))
            .ToArray();
        const int budget = 120, callCost = 25;

        var batches = BatchPartition.Partition(spans, budget, callCost);

        Assert.Equal(BruteForceCost(spans, budget, callCost), Cost(spans, batches, callCost));
        Assert.Equal(Enumerable.Range(0, spans.Length), batches.SelectMany(b => Enumerable.Range(b.Start.Value, b.End.Value - b.Start.Value)));
    }

    [Fact]
    public void A_span_larger_than_the_budget_gets_a_batch_of_its_own()
    {
        (int, int)[] spans = [(0, 10), (0, 500), (0, 11)];

        var batches = BatchPartition.Partition(spans.OrderBy(s => s.Item2).ToArray(), budget: 100, callCost: 0);

        Assert.Contains(batches, b => b.End.Value - b.Start.Value == 1 && b.End.Value == 3);
    }

    [Fact]
    public void No_spans_give_no_batches()
    {
        Assert.Empty(BatchPartition.Partition([], budget: 100, callCost: 5));
    }

    [Fact]
    public void Unsorted_spans_are_rejected()
    {
        var e = Assert.Throws<ArgumentException>(() => BatchPartition.Partition([(5, 10), (2, 10)], budget: 100, callCost: 5));
        Assert.Equal("spans", e.ParamName);
    }

    /// <summary>Cost of a partition: per batch, members × (largest end − first start), plus the call cost.</summary>
    private static long Cost((int Start, int End)[] spans, IEnumerable<Range> batches, int callCost) =>
        batches.Sum(b =>
        {
            var members = spans[b];
            return ((long)members.Length * (members.Max(s => s.End) - members[0].Start)) + callCost;
        });

    /// <summary>Tries every way of cutting the sequence into consecutive batches (2^(n−1) of them).</summary>
    private static long BruteForceCost((int Start, int End)[] spans, int budget, int callCost)
    {
        var best = long.MaxValue;
        for (var cuts = 0; cuts < 1 << (spans.Length - 1); cuts++)
        {
            var batches = new List<Range>();
            var start = 0;
            for (var i = 1; i <= spans.Length; i++)
            {
                if (i == spans.Length || (cuts & (1 << (i - 1))) != 0)
                {
                    batches.Add(new Range(start, i));
                    start = i;
                }
            }

            var feasible = batches.All(b =>
            {
                var members = spans[b];
                return members.Length == 1 || (long)members.Length * (members.Max(s => s.End) - members[0].Start) <= budget;
            });
            if (feasible)
            {
                best = Math.Min(best, Cost(spans, batches, callCost));
            }
        }

        return best;
    }
}
