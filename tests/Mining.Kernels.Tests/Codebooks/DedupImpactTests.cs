using Mining.Kernels.Codebooks;
using Mining.Probe.Codebooks;

namespace Mining.Kernels.Tests.Codebooks;

public sealed class DedupImpactTests
{
    // Original codebook p0 = (1, 0), p1 = (0.8, 0.6); the "deduplicated" one keeps p0 only.
    // Tokens and s(t) = max cosine:  original  deduplicated
    //   t0 = (0.8, 0.6)               1.0       0.8
    //   t1 = (0.9, −√0.19)            0.9       0.9        (cos with p1 = 0.72 − 0.6·√0.19 ≈ 0.46)
    //   t2 = (0, 1)                   0.6       0
    //   t3 = (−1, 0)                 −0.8      −1
    private static readonly CodebookEntry[] Original = [Entry(0, [1f, 0f]), Entry(1, [0.8f, 0.6f])];
    private static readonly CodebookEntry[] Deduplicated = [Entry(0, [1f, 0f])];
    private static readonly float[] Tokens = [0.8f, 0.6f, 0.9f, -MathF.Sqrt(0.19f), 0f, 1f, -1f, 0f];

    [Fact]
    public void Threshold_mode_counts_tokens_that_cross_tau()
    {
        // τ = 0.85: the original keeps t2, t3; the deduplicated keeps t0, t2, t3. Only t0 changes.
        var result = DedupImpact.Measure(Original, Deduplicated, Tokens, 4, 2, tau: 0.85, ratio: 0.75);

        Assert.Equal(1, result.ThresholdChanged);
        Assert.Equal(0.25, result.ThresholdChangedFraction);
    }

    [Fact]
    public void Ratio_mode_counts_tokens_that_enter_or_leave_the_lowest_set()
    {
        // round(4 · 0.75) = 3 lowest: original {t3, t2, t1}, deduplicated {t3, t2, t0}. t0 and t1 change.
        var result = DedupImpact.Measure(Original, Deduplicated, Tokens, 4, 2, tau: 0.85, ratio: 0.75);

        Assert.Equal(3, result.RatioKeepCount);
        Assert.Equal(2, result.RatioChanged);
        Assert.Equal(0.5, result.RatioChangedFraction);
    }

    [Theory]
    [InlineData(5, 0.5, 2)]
    [InlineData(7, 0.5, 4)]
    [InlineData(10, 0.25, 2)]
    public void Ratio_mode_rounds_half_to_even_as_python_does(int count, double ratio, int expected)
    {
        var tokens = new float[count * 2];
        Array.Fill(tokens, 1f);

        var result = DedupImpact.Measure(Original, Deduplicated, tokens, count, 2, tau: 0.5, ratio);

        Assert.Equal(expected, result.RatioKeepCount);
    }

    [Fact]
    public void The_same_codebook_on_both_sides_changes_nothing()
    {
        var result = DedupImpact.Measure(Original, Original, Tokens, 4, 2, tau: 0.85, ratio: 0.5);

        Assert.Equal(0, result.ThresholdChanged);
        Assert.Equal(0, result.RatioChanged);
    }

    [Fact]
    public void Random_data_matches_a_plain_second_implementation()
    {
        var random = new Random(21);
        const int Hidden = 24;
        var prototypes = Enumerable.Range(0, 40).Select(i => Entry(i, RandomRow(random, Hidden))).ToList();
        var deduplicated = PrototypeDeduplicator.Deduplicate(prototypes, 0.3).Survivors;
        Assert.True(deduplicated.Count < prototypes.Count);
        var tokens = RandomRow(random, 300 * Hidden);

        var result = DedupImpact.Measure(prototypes, deduplicated, tokens, 300, Hidden, tau: 0.45, ratio: 0.4);

        var before = PlainMaxCosine(prototypes, tokens, Hidden);
        var after = PlainMaxCosine(deduplicated, tokens, Hidden);
        var thresholdChanged = Enumerable.Range(0, 300).Count(t => (before[t] < 0.45) != (after[t] < 0.45));
        var keepBefore = Enumerable.Range(0, 300).OrderBy(t => before[t]).ThenBy(t => t).Take(120).ToHashSet();
        var keepAfter = Enumerable.Range(0, 300).OrderBy(t => after[t]).ThenBy(t => t).Take(120).ToHashSet();
        var ratioChanged = Enumerable.Range(0, 300).Count(t => keepBefore.Contains(t) != keepAfter.Contains(t));
        Assert.True(thresholdChanged > 0 && ratioChanged > 0, "the random case must exercise both modes");
        Assert.Equal(thresholdChanged, result.ThresholdChanged);
        Assert.Equal(ratioChanged, result.RatioChanged);
    }

    [Fact]
    public void Tokens_of_the_wrong_length_are_rejected_naming_the_argument()
    {
        var error = Assert.Throws<ArgumentException>(() => DedupImpact.Measure(Original, Deduplicated, new float[5], 3, 2, 0.5, 0.5));

        Assert.Equal("tokens", error.ParamName);
    }

    private static double[] PlainMaxCosine(IReadOnlyList<CodebookEntry> prototypes, float[] tokens, int hidden)
    {
        var count = tokens.Length / hidden;
        var s = new double[count];
        for (var t = 0; t < count; t++)
        {
            var token = tokens.AsSpan(t * hidden, hidden).ToArray();
            s[t] = prototypes.Max(p => PlainCosine.Of(token, p.Embedding));
        }

        return s;
    }

    private static float[] RandomRow(Random random, int length) =>
        Enumerable.Range(0, length).Select(_ => (float)((random.NextDouble() * 2) - 1)).ToArray();

    private static CodebookEntry Entry(int id, float[] embedding) => new(id, embedding, $"image-{id}", 0, 0, 1);
}
