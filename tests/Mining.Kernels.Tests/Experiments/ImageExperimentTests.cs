using Mining.Kernels.Experiments;

namespace Mining.Kernels.Tests.Experiments;

public sealed class ImageExperimentTests
{
    private const int Grid = 6;

    private static readonly MiningParameters Parameters = new() { Top1Thres = 0.5, JsdThres = 0.01 };

    [Fact]
    public void The_scorer_is_asked_once_with_the_baseline_and_every_variant()
    {
        var scorer = new SyntheticScorer();
        ImageExperiment.Run(scorer, Grid, Similarities(), [14, 3], Parameters);

        Assert.Equal(1, scorer.Calls);
        var sent = scorer.Received.Select(Key).ToHashSet();
        Assert.Equal(1 + 2 * 4, sent.Count);
        Assert.Contains(Key(Enumerable.Range(0, 36).ToArray()), sent);
        Assert.Contains(Key([14]), sent);
        Assert.Contains(Key([7, 8, 9, 13, 14, 15, 19, 20, 21]), sent);
        Assert.Contains(Key([7, 8, 9, 13, -1, 15, 19, 20, 21]), sent);
        Assert.Contains(Key(Enumerable.Range(0, 36).Select(t => new[] { 7, 8, 9, 13, 14, 15, 19, 20, 21 }.Contains(t) ? -1 : t).ToArray()), sent);
        Assert.Contains(Key([3]), sent);
    }

    [Fact]
    public void Results_use_each_variants_own_logits()
    {
        // Plain recomputation from the scorer's logits for the variants built by hand (token 14, interior).
        var scorer = new SyntheticScorer();
        var p = Parameters;
        int[] window = [7, 8, 9, 13, 14, 15, 19, 20, 21];
        var all = Enumerable.Range(0, 36).ToArray();

        var result = ImageExperiment.Run(scorer, Grid, Similarities(), [14], p).Tokens.Single();

        Assert.Equal(HeadProbability.Top1(SyntheticScorer.LogitsOf([14]), p.HeadTopK), result.Top1Prob);
        Assert.Equal(Divergence.Jsd(SyntheticScorer.LogitsOf(window), SyntheticScorer.LogitsOf([7, 8, 9, 13, -1, 15, 19, 20, 21]), p.JsdTopK), result.JsdRegion);
        Assert.Equal(Divergence.Jsd(SyntheticScorer.LogitsOf(all), SyntheticScorer.LogitsOf(all.Select(t => window.Contains(t) ? -1 : t).ToArray()), p.JsdTopK), result.JsdGlobal);
        Assert.Equal(RedundancyRule.IsRedundant(result.Top1Prob, result.JsdRegion, result.JsdGlobal, p), result.Redundant);
    }

    [Fact]
    public void Identical_variants_are_sent_once_and_answer_every_token()
    {
        // Tokens 0 and 7 share the clamped window rows 0..2, columns 0..2, hence also its globally padded variant:
        // baseline + 4 variants of token 0 + only single and window-centre-padded of token 7.
        var scorer = new SyntheticScorer();
        var together = ImageExperiment.Run(scorer, Grid, Similarities(), [0, 7], Parameters);

        Assert.Equal(scorer.Received.Count, scorer.Received.Select(Key).Distinct().Count());
        Assert.Equal(1 + 4 + 2, scorer.Received.Count);
        var alone0 = ImageExperiment.Run(new SyntheticScorer(), Grid, Similarities(), [0], Parameters).Tokens.Single();
        var alone7 = ImageExperiment.Run(new SyntheticScorer(), Grid, Similarities(), [7], Parameters).Tokens.Single();
        AssertSameMeasurements(alone0, together.Tokens[0]);
        AssertSameMeasurements(alone7, together.Tokens[1]);
    }

    [Fact]
    public void The_single_input_repeats_the_token_dup_times()
    {
        var scorer = new SyntheticScorer();
        ImageExperiment.Run(scorer, Grid, Similarities(), [20], Parameters with { Dup = 3 });
        Assert.Contains(scorer.Received, v => v.SequenceEqual([20, 20, 20]));
        Assert.DoesNotContain(scorer.Received, v => v.SequenceEqual([20]));
    }

    [Fact]
    public void Results_keep_the_candidate_order_and_carry_rank_similarity_and_window()
    {
        var similarities = Similarities();
        var result = ImageExperiment.Run(new SyntheticScorer(), Grid, similarities, [35, 2, 17], Parameters);

        Assert.Equal([35, 2, 17], result.Tokens.Select(t => t.TokenIndex));
        var ranks = ClsRanking.Rank(similarities);
        Assert.All(result.Tokens, t =>
        {
            Assert.Equal(ranks[t.TokenIndex], t.Rank);
            Assert.Equal(similarities[t.TokenIndex], t.ClsSimilarity);
            Assert.Equal(TokenWindow.Around(t.TokenIndex, Grid), t.Window);
        });
        Assert.Equal(SyntheticScorer.LogitsOf(Enumerable.Range(0, 36).ToArray()), result.BaselineLogits);
    }

    [Fact]
    public void A_scorer_returning_too_few_logit_vectors_is_reported()
    {
        var scorer = new SyntheticScorer { DropLast = true };
        var e = Assert.Throws<InvalidOperationException>(() => ImageExperiment.Run(scorer, Grid, Similarities(), [1], Parameters));
        Assert.Contains("variant scorer", e.Message);
    }

    [Fact]
    public void A_candidate_listed_twice_is_refused()
    {
        var e = Assert.Throws<ArgumentException>(() => ImageExperiment.Run(new SyntheticScorer(), Grid, Similarities(), [4, 4], Parameters));
        Assert.Equal("candidateTokens", e.ParamName);
    }

    [Fact]
    public void A_candidate_outside_the_grid_is_refused()
    {
        var e = Assert.Throws<ArgumentException>(() => ImageExperiment.Run(new SyntheticScorer(), Grid, Similarities(), [36], Parameters));
        Assert.Equal("candidateTokens", e.ParamName);
    }

    [Fact]
    public void Similarities_that_do_not_cover_the_grid_are_refused()
    {
        var e = Assert.Throws<ArgumentException>(() => ImageExperiment.Run(new SyntheticScorer(), Grid, new float[35], [0], Parameters));
        Assert.Equal("clsSimilarity", e.ParamName);
    }

    [Fact]
    public void Invalid_parameters_are_refused_before_scoring()
    {
        var scorer = new SyntheticScorer();
        Assert.Throws<MiningParameterException>(() => ImageExperiment.Run(scorer, Grid, Similarities(), [0], Parameters with { JsdTopK = 0 }));
        Assert.Equal(0, scorer.Calls);
    }

    private static void AssertSameMeasurements(TokenExperimentResult expected, TokenExperimentResult actual)
    {
        Assert.Equal(expected.TokenIndex, actual.TokenIndex);
        Assert.Equal(expected.Top1Prob, actual.Top1Prob);
        Assert.Equal(expected.JsdRegion, actual.JsdRegion);
        Assert.Equal(expected.JsdGlobal, actual.JsdGlobal);
        Assert.Equal(expected.Redundant, actual.Redundant);
    }

    private static string Key(int[] variant) => string.Join(',', variant);

    private static float[] Similarities()
    {
        var random = new Random(7);
        return Enumerable.Range(0, Grid * Grid).Select(_ => (float)random.NextDouble()).ToArray();
    }

    /// <summary>Deterministic logits that depend on every position of the variant, so different variants differ.</summary>
    private sealed class SyntheticScorer : IVariantScorer
    {
        private const int Vocabulary = 80;

        public int Calls { get; private set; }

        public List<int[]> Received { get; } = [];

        public bool DropLast { get; init; }

        public static float[] LogitsOf(int[] variant)
        {
            var logits = new float[Vocabulary];
            for (var position = 0; position < variant.Length; position++)
            {
                var random = new Random((variant[position] + 2) * 1009 + position);
                for (var v = 0; v < Vocabulary; v++)
                {
                    logits[v] += (float)(random.NextDouble() - 0.5);
                }
            }

            return logits;
        }

        public MeasuredLogits[] Measure(IReadOnlyList<int[]> variants)
        {
            Calls++;
            Received.AddRange(variants);
            var logits = variants.Select(v => new MeasuredLogits(LogitsOf(v), false));
            return (DropLast ? logits.SkipLast(1) : logits).ToArray();
        }
    }
}
