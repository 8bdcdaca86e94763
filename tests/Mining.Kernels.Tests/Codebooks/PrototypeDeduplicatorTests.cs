using System.Text.Json;
using Mining.Kernels.Codebooks;
using Mining.Kernels.IO;
using Mining.Probe.Codebooks;

namespace Mining.Kernels.Tests.Codebooks;

public sealed class PrototypeDeduplicatorTests(ITestOutputHelper output)
{
    [Fact]
    public void Planted_near_duplicates_merge_and_distinct_rows_survive()
    {
        var entries = RandomWithPlantedCopies(seed: 11, distinct: 60, copies: 15, dimension: 32, out var copyOf);

        var result = PrototypeDeduplicator.Deduplicate(entries, 0.95);

        Assert.Equal(60, result.Survivors.Count);
        Assert.Equal(15, result.MergedCount);
        foreach (var (copy, source) in copyOf)
        {
            Assert.Equal(result.SurvivorOf[source], result.SurvivorOf[copy]);
        }
    }

    [Theory]
    [InlineData(0.95)]
    [InlineData(0.8)]
    [InlineData(0.5)]
    public void No_two_survivors_reach_the_threshold_and_every_row_has_a_survivor_that_does(double threshold)
    {
        var entries = RandomWithPlantedCopies(seed: 12, distinct: 60, copies: 15, dimension: 8, out _);

        var result = PrototypeDeduplicator.Deduplicate(entries, threshold);

        AssertCoverage(entries, result, threshold);
    }

    [Fact]
    public void Members_sum_to_the_members_of_the_input()
    {
        var entries = RandomWithPlantedCopies(seed: 13, distinct: 40, copies: 20, dimension: 8, out _)
            .Select((e, i) => e with { Members = 1 + (i % 3) })
            .ToList();

        var result = PrototypeDeduplicator.Deduplicate(entries, 0.7);

        Assert.True(result.MergedCount > 0);
        Assert.Equal(entries.Sum(e => e.Members), result.Survivors.Sum(s => s.Members));
        for (var s = 0; s < result.Survivors.Count; s++)
        {
            var expected = Enumerable.Range(0, entries.Count).Where(i => result.SurvivorOf[i] == s).Sum(i => entries[i].Members);
            Assert.Equal(expected, result.Survivors[s].Members);
        }
    }

    [Fact]
    public void Survivors_keep_their_own_row_and_provenance_and_are_renumbered_from_zero()
    {
        var entries = RandomWithPlantedCopies(seed: 14, distinct: 30, copies: 10, dimension: 16, out _)
            .Select((e, i) => e with { PrototypeId = 1000 + i, SourceImageId = $"image-{i}", ClusterId = i % 4, ClusterUniqueImages = 70 + i })
            .ToList();

        var result = PrototypeDeduplicator.Deduplicate(entries, 0.95);

        Assert.Equal(Enumerable.Range(0, result.Survivors.Count), result.Survivors.Select(s => s.PrototypeId));
        for (var s = 0; s < result.Survivors.Count; s++)
        {
            var first = Array.IndexOf(result.SurvivorOf, s);
            var original = entries[first];
            var survivor = result.Survivors[s];
            Assert.Equal(original.Embedding, survivor.Embedding);
            Assert.Equal((original.SourceImageId, original.ClusterId, original.ClusterUniqueImages), (survivor.SourceImageId, survivor.ClusterId, survivor.ClusterUniqueImages));
        }
    }

    [Fact]
    public void A_row_as_similar_to_two_survivors_merges_into_the_earlier_one()
    {
        // cos(s0, s1) = 9/10 < 0.95; cos(e, s0) = cos(e, s1) = 19/√380 ≈ 0.975 ≥ 0.95, computed the same way.
        CodebookEntry s0 = Entry(0, [1, 0, 3]);
        CodebookEntry s1 = Entry(1, [0, 1, 3]);
        CodebookEntry e = Entry(2, [1, 1, 6]);

        var forward = PrototypeDeduplicator.Deduplicate([s0, s1, e], 0.95);
        var backward = PrototypeDeduplicator.Deduplicate([s1, s0, e], 0.95);

        Assert.Equal([0, 1, 0], forward.SurvivorOf);
        Assert.Equal([2, 1], forward.Survivors.Select(s => s.Members));
        Assert.Equal(s0.Embedding, forward.Survivors[0].Embedding);
        Assert.Equal(s1.Embedding, backward.Survivors[0].Embedding);
        Assert.Equal([2, 1], backward.Survivors.Select(s => s.Members));
    }

    [Fact]
    public void A_cosine_equal_to_the_threshold_merges()
    {
        // Identical rows have cosine exactly 1: a strict "exceeds" would keep both.
        CodebookEntry a = Entry(0, [1, 0]);
        CodebookEntry b = Entry(1, [1, 0]);

        var result = PrototypeDeduplicator.Deduplicate([a, b], 1.0);

        Assert.Single(result.Survivors);
    }

    [Fact]
    public void Two_runs_give_identical_survivors()
    {
        var entries = RandomWithPlantedCopies(seed: 15, distinct: 50, copies: 25, dimension: 12, out _);

        var first = PrototypeDeduplicator.Deduplicate(entries, 0.6);
        var second = PrototypeDeduplicator.Deduplicate(entries, 0.6);

        Assert.Equal(first.SurvivorOf, second.SurvivorOf);
        Assert.Equal(first.Survivors.Count, second.Survivors.Count);
        for (var s = 0; s < first.Survivors.Count; s++)
        {
            var (a, b) = (first.Survivors[s], second.Survivors[s]);
            Assert.Equal((a.PrototypeId, a.SourceImageId, a.ClusterId, a.ClusterUniqueImages, a.Members), (b.PrototypeId, b.SourceImageId, b.ClusterId, b.ClusterUniqueImages, b.Members));
            Assert.Equal(a.Embedding, b.Embedding);
        }
    }

    [Fact]
    public void A_zero_embedding_is_rejected_with_its_prototype_id()
    {
        var error = Assert.Throws<ArgumentException>(() =>
            PrototypeDeduplicator.Deduplicate([Entry(0, [1, 2]), Entry(7, [0, 0])], 0.99));

        Assert.Contains("prototype 7", error.Message);
    }

    [Theory]
    [InlineData(0.99)]
    [InlineData(0.95)]
    public void The_released_llava_codebook_deduplicates_with_both_guarantees(double threshold)
    {
        var folder = Path.Combine(TestData.Root, "fixtures", "reference-codebooks");
        var array = NpyFile.Read(Path.Combine(folder, "llava-v1.5-7b.prototypes.npy"));
        var ids = JsonSerializer.Deserialize<string[]>(File.ReadAllText(Path.Combine(folder, "llava-v1.5-7b.source-image-ids.json")))!;
        Assert.Equal([454, 4096], array.Shape);
        var values = array.ToFloat32();
        var entries = Enumerable.Range(0, 454)
            .Select(i => new CodebookEntry(i, values.AsSpan(i * 4096, 4096).ToArray(), ids[i], ClusterId: 0, ClusterUniqueImages: 0, Members: 1))
            .ToList();

        var result = PrototypeDeduplicator.Deduplicate(entries, threshold);

        AssertCoverage(entries, result, threshold);
        Assert.Equal(454, result.Survivors.Sum(s => s.Members));
        output.WriteLine($"released LLaVA-1.5-7B codebook at dedup_cosine {threshold}: 454 -> {result.Survivors.Count} survivors ({result.MergedCount} merged)");
    }

    private static void AssertCoverage(IReadOnlyList<CodebookEntry> entries, DeduplicationResult result, double threshold)
    {
        var survivors = result.Survivors;
        for (var a = 0; a < survivors.Count; a++)
        {
            for (var b = a + 1; b < survivors.Count; b++)
            {
                var cosine = PlainCosine.Of(survivors[a].Embedding, survivors[b].Embedding);
                Assert.True(cosine < threshold, $"survivors {a} and {b} have cosine {cosine} ≥ {threshold}");
            }
        }

        for (var i = 0; i < entries.Count; i++)
        {
            var own = PlainCosine.Of(entries[i].Embedding, survivors[result.SurvivorOf[i]].Embedding);
            Assert.True(own >= threshold, $"row {i} has cosine {own} < {threshold} to its survivor {result.SurvivorOf[i]}");
        }
    }

    private static CodebookEntry Entry(int id, float[] embedding) => new(id, embedding, $"image-{id}", 0, 0, 1);

    /// <summary>Gaussian rows, then copies of random rows with 1 % noise inserted at random places.</summary>
    private static List<CodebookEntry> RandomWithPlantedCopies(int seed, int distinct, int copies, int dimension, out List<(int Copy, int Source)> copyOf)
    {
        var random = new Random(seed);
        var rows = new List<float[]>();
        for (var i = 0; i < distinct; i++)
        {
            rows.Add(Enumerable.Range(0, dimension).Select(_ => Gaussian(random)).ToArray());
        }

        var sourceOf = Enumerable.Range(0, distinct).ToList();
        for (var c = 0; c < copies; c++)
        {
            var source = random.Next(distinct);
            var copy = rows[sourceOf.IndexOf(source)].Select(v => v + (0.01f * Gaussian(random))).ToArray();
            var at = random.Next(rows.Count + 1);
            rows.Insert(at, copy);
            sourceOf.Insert(at, source);
        }

        // A copy points at the first row holding the same source.
        copyOf = [];
        for (var i = 0; i < rows.Count; i++)
        {
            var first = sourceOf.IndexOf(sourceOf[i]);
            if (first != i)
            {
                copyOf.Add((i, first));
            }
        }

        return rows.Select((row, i) => Entry(i, row)).ToList();
    }

    private static float Gaussian(Random random) =>
        (float)(Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble()));
}
