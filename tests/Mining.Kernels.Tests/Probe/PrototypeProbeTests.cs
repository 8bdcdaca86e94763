using Mining.Probe.Codebooks;
using Mining.Probe.Pruning;

namespace Mining.Kernels.Tests.Probe;

public sealed class PrototypeProbeTests
{
    private const int Hidden = 37; // not a multiple of any SIMD width, so the scalar tail is exercised too
    private const int PrototypeCount = 7;

    private static float[] Gaussian(Random random, int count)
    {
        var values = new float[count];
        for (var i = 0; i < count; i++)
        {
            // Box–Muller; plenty for test data.
            values[i] = (float)(Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble()));
        }

        return values;
    }

    private static float[] Prototypes()
    {
        var prototypes = Gaussian(new Random(7), PrototypeCount * Hidden);
        Array.Clear(prototypes, 3 * Hidden, Hidden); // a zero prototype: cosine 0 with everything
        return prototypes;
    }

    /// <summary>
    /// 41 tokens: random ones, plus exact copies (token 20 = token 5), a power-of-two multiple (token 30 = 2 × token 5,
    /// the same cosine bit for bit) and a zero token (token 12) — so ties occur.
    /// </summary>
    private static float[] Tokens(out int n)
    {
        n = 41;
        var tokens = Gaussian(new Random(15), n * Hidden);
        tokens.AsSpan(5 * Hidden, Hidden).CopyTo(tokens.AsSpan(20 * Hidden));
        for (var j = 0; j < Hidden; j++)
        {
            tokens[30 * Hidden + j] = 2 * tokens[5 * Hidden + j];
        }

        Array.Clear(tokens, 12 * Hidden, Hidden);
        return tokens;
    }

    /// <summary>The definition, in double precision, one pair at a time.</summary>
    private static double[] PlainMaxCosine(float[] tokens, int n, float[] prototypes, int count)
    {
        double Norm(float[] x, int row) => Math.Sqrt(Enumerable.Range(0, Hidden).Sum(j => (double)x[row * Hidden + j] * x[row * Hidden + j]));
        var scores = new double[n];
        for (var t = 0; t < n; t++)
        {
            var best = double.NegativeInfinity;
            for (var p = 0; p < count; p++)
            {
                var dot = 0.0;
                for (var j = 0; j < Hidden; j++)
                {
                    dot += (double)tokens[t * Hidden + j] * prototypes[p * Hidden + j];
                }

                var norms = Norm(tokens, t) * Norm(prototypes, p);
                best = Math.Max(best, norms == 0 ? 0 : dot / norms);
            }

            scores[t] = best;
        }

        return scores;
    }

    /// <summary>Python's round() on a non-negative double: to nearest, exact halves to the even neighbour.</summary>
    private static int PythonRound(double x)
    {
        var floor = Math.Floor(x);
        var fraction = x - floor;
        var result = fraction > 0.5 || (fraction == 0.5 && floor % 2 == 1) ? floor + 1 : floor;
        return (int)result;
    }

    private static int[] PlainKeepByRatio(double[] scores, double ratio)
    {
        var keep = PythonRound(scores.Length * ratio);
        var kept = new List<int>();
        var taken = new bool[scores.Length];
        for (var k = 0; k < keep; k++)
        {
            // The lowest remaining score, the lowest index among equals.
            var pick = -1;
            for (var i = 0; i < scores.Length; i++)
            {
                if (!taken[i] && (pick < 0 || scores[i] < scores[pick]))
                {
                    pick = i;
                }
            }

            taken[pick] = true;
            kept.Add(pick);
        }

        kept.Sort();
        return kept.ToArray();
    }

    [Fact]
    public void Test_data_scores_are_well_separated_apart_from_the_planned_ties()
    {
        // Precondition of the keep-set tests: float and double arithmetic cannot order these scores differently.
        var scores = PlainMaxCosine(Tokens(out var n), n, Prototypes(), PrototypeCount);
        Assert.Equal(scores[5], scores[20]);
        Assert.Equal(scores[5], scores[30]);
        Assert.Equal(0, scores[12]);
        var distinct = scores.Distinct().Order().ToArray();
        Assert.Equal(n - 2, distinct.Length);
        var gap = distinct.Zip(distinct.Skip(1)).Min(p => p.Second - p.First);
        Assert.True(gap > 1e-5, $"smallest gap {gap}; scores {string.Join(", ", scores)}");
    }

    [Fact]
    public void Max_similarity_is_the_largest_cosine_to_any_prototype()
    {
        var prototypes = Prototypes();
        var tokens = Tokens(out var n);
        var expected = PlainMaxCosine(tokens, n, prototypes, PrototypeCount);

        var actual = new PrototypeProbe(prototypes, PrototypeCount, Hidden).MaxSimilarity(tokens, n);

        Assert.Equal(n, actual.Length);
        for (var i = 0; i < n; i++)
        {
            Assert.Equal(expected[i], actual[i], 1e-6);
        }
    }

    [Fact]
    public void A_zero_token_scores_zero()
    {
        var probe = new PrototypeProbe(Prototypes(), PrototypeCount, Hidden);
        Assert.Equal(0f, probe.MaxSimilarity(Tokens(out var n), n)[12]);
    }

    [Fact]
    public void Equal_and_proportional_tokens_score_bit_identically()
    {
        var scores = new PrototypeProbe(Prototypes(), PrototypeCount, Hidden).MaxSimilarity(Tokens(out var n), n);
        Assert.Equal(BitConverter.SingleToInt32Bits(scores[5]), BitConverter.SingleToInt32Bits(scores[20]));
        Assert.Equal(BitConverter.SingleToInt32Bits(scores[5]), BitConverter.SingleToInt32Bits(scores[30]));
    }

    [Fact]
    public void Prototype_scale_does_not_change_the_scores()
    {
        var prototypes = Prototypes();
        var tokens = Tokens(out var n);
        var scaled = prototypes.Select(v => v * 1000f).ToArray();
        var a = new PrototypeProbe(prototypes, PrototypeCount, Hidden).MaxSimilarity(tokens, n);
        var b = new PrototypeProbe(scaled, PrototypeCount, Hidden).MaxSimilarity(tokens, n);
        for (var i = 0; i < n; i++)
        {
            Assert.Equal(a[i], b[i], 1e-6);
        }
    }

    [Theory]
    [InlineData(5)]
    [InlineData(17)]
    [InlineData(37)]
    public void Threshold_mode_keeps_the_tokens_scoring_below_tau(int cut)
    {
        var prototypes = Prototypes();
        var tokens = Tokens(out var n);
        var scores = PlainMaxCosine(tokens, n, prototypes, PrototypeCount);
        var distinct = scores.Distinct().Order().ToArray();
        var tau = (distinct[cut] + distinct[cut + 1]) / 2;
        var expected = Enumerable.Range(0, n).Where(i => scores[i] < tau).ToArray();

        var kept = new PrototypeProbe(prototypes, PrototypeCount, Hidden).KeepByThreshold(tokens, n, tau);

        Assert.Equal(expected, kept);
    }

    [Fact]
    public void Threshold_mode_is_strict_at_tau()
    {
        // Tokens equal to a prototype score exactly 1 (up to float rounding); τ = 1 keeps only tokens below it.
        var prototypes = new float[] { 1, 0, 0, 0, 1, 0 };
        var tokens = new float[] { 2, 0, 0, 0, 0, 3, 1, 1, 0 };
        var kept = new PrototypeProbe(prototypes, 2, 3).KeepByThreshold(tokens, 3, 1.0);
        Assert.Equal([1, 2], kept);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.1)]
    [InlineData(0.25)]
    [InlineData(0.5)]
    [InlineData(0.9)]
    [InlineData(1.0)]
    public void Ratio_mode_keeps_the_lowest_scoring_tokens_in_original_order(double ratio)
    {
        var prototypes = Prototypes();
        var tokens = Tokens(out var n);
        var expected = PlainKeepByRatio(PlainMaxCosine(tokens, n, prototypes, PrototypeCount), ratio);

        var kept = new PrototypeProbe(prototypes, PrototypeCount, Hidden).KeepByRatio(tokens, n, ratio);

        Assert.Equal(expected, kept);
    }

    [Fact]
    public void Ratio_mode_breaks_ties_by_the_lower_index()
    {
        // Tokens 5, 20 and 30 tie; keep exactly enough to reach into the tie and check which of them make it.
        var prototypes = Prototypes();
        var tokens = Tokens(out var n);
        var scores = PlainMaxCosine(tokens, n, prototypes, PrototypeCount);
        var below = scores.Count(s => s < scores[5]);
        var ratio = (below + 2) / (double)n; // the two lowest-index members of the tie: 5 and 20, not 30

        var kept = new PrototypeProbe(prototypes, PrototypeCount, Hidden).KeepByRatio(tokens, n, ratio);

        Assert.Contains(5, kept);
        Assert.Contains(20, kept);
        Assert.DoesNotContain(30, kept);
        Assert.Equal(PlainKeepByRatio(scores, ratio), kept);
    }

    [Theory]
    [InlineData(10, 0.25, 2)] // 2.5 → 2: half to even, as Python's round; half away from zero would give 3
    [InlineData(6, 0.25, 2)] // 1.5 → 2
    [InlineData(14, 0.25, 4)] // 3.5 → 4
    [InlineData(576, 0.1, 58)] // 57.6 → 58
    [InlineData(576, 0.0, 0)]
    [InlineData(576, 1.0, 576)]
    public void Keep_count_rounds_like_python(int n, double ratio, int expected)
    {
        Assert.Equal(PythonRound(n * ratio), PrototypeProbe.KeepCount(n, ratio));
        Assert.Equal(expected, PrototypeProbe.KeepCount(n, ratio));
    }

    [Fact]
    public void Ratio_mode_keeps_two_of_ten_tokens_at_a_quarter()
    {
        var prototypes = Prototypes();
        var tokens = Tokens(out _)[..(10 * Hidden)];
        Assert.Equal(2, new PrototypeProbe(prototypes, PrototypeCount, Hidden).KeepByRatio(tokens, 10, 0.25).Length);
    }

    [Fact]
    public void From_codebook_scores_like_the_flat_constructor()
    {
        var prototypes = Prototypes();
        var entries = Enumerable.Range(0, PrototypeCount)
            .Select(p => new CodebookEntry(p, prototypes[(p * Hidden)..((p + 1) * Hidden)], "img", 0, 1, 1)).ToArray();
        var codebook = new Codebook(new CodebookMetadata("m", Hidden, 1, [], "{}", DateTimeOffset.UnixEpoch), entries);
        var tokens = Tokens(out var n);

        Assert.Equal(
            new PrototypeProbe(prototypes, PrototypeCount, Hidden).MaxSimilarity(tokens, n),
            PrototypeProbe.FromCodebook(codebook).MaxSimilarity(tokens, n));
    }

    [Fact]
    public void Tokens_of_another_width_are_refused_with_both_widths()
    {
        var probe = new PrototypeProbe(Prototypes(), PrototypeCount, Hidden);
        var e = Assert.Throws<ArgumentException>(() => probe.MaxSimilarity(new float[4 * 12], 4));
        Assert.Contains("width 37", e.Message);
        Assert.Contains("4 tokens of width 12", e.Message);
    }

    [Fact]
    public void A_token_buffer_that_is_not_whole_tokens_is_refused()
    {
        var probe = new PrototypeProbe(Prototypes(), PrototypeCount, Hidden);
        var e = Assert.Throws<ArgumentException>(() => probe.KeepByThreshold(new float[2 * Hidden + 1], 2, 0.45));
        Assert.Contains("width 37", e.Message);
        Assert.Contains("75 values", e.Message);
    }

    [Theory]
    [InlineData(-0.01)]
    [InlineData(1.01)]
    [InlineData(double.NaN)]
    public void A_ratio_outside_zero_to_one_is_refused(double ratio)
    {
        var probe = new PrototypeProbe(Prototypes(), PrototypeCount, Hidden);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => probe.KeepByRatio(Tokens(out var n), n, ratio));
        Assert.Contains("[0, 1]", e.Message);
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void A_threshold_that_is_not_finite_is_refused(double tau)
    {
        var probe = new PrototypeProbe(Prototypes(), PrototypeCount, Hidden);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => probe.KeepByThreshold(Tokens(out var n), n, tau));
        Assert.Contains("finite", e.Message);
    }

    [Fact]
    public void A_prototype_buffer_of_the_wrong_size_is_refused()
    {
        var e = Assert.Throws<ArgumentException>(() => new PrototypeProbe(new float[10], 3, 4));
        Assert.Contains("expected 3 × 4 = 12 values, got 10", e.Message);
    }

    [Fact]
    public void A_non_finite_token_is_refused_with_its_position()
    {
        var probe = new PrototypeProbe(Prototypes(), PrototypeCount, Hidden);
        var tokens = Tokens(out var n);
        tokens[3 * Hidden + 2] = float.NaN;
        var e = Assert.Throws<ArgumentException>(() => probe.MaxSimilarity(tokens, n));
        Assert.Contains("token 3, element 2", e.Message);
    }

    [Fact]
    public void No_tokens_keep_nothing()
    {
        var probe = new PrototypeProbe(Prototypes(), PrototypeCount, Hidden);
        Assert.Empty(probe.KeepByRatio([], 0, 0.5));
        Assert.Empty(probe.KeepByThreshold([], 0, 0.45));
    }
}
