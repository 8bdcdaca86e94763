using Mining.Kernels.Experiments;

namespace Mining.Kernels.Tests.Experiments;

/// <summary>The experiments' maths on the logits that the fixture's independent PyTorch program produced.</summary>
public sealed class FixtureExperimentTests
{
    private const double AbsoluteTolerance = 1e-5;
    private const double JsdRelativeTolerance = 1e-3;

    private static ExpectedExperiments Fixture => ExpectedExperiments.Fixture;

    private static MiningParameters Parameters => MiningParameters.FromJson(Fixture.ParametersJson);

    public static TheoryData<string, int> SampledTokens
    {
        get
        {
            var data = new TheoryData<string, int>();
            foreach (var image in ExpectedExperiments.Fixture.Images)
            {
                foreach (var token in image.VariantLogits.Keys.Order())
                {
                    data.Add(image.Name, token);
                }
            }

            return data;
        }
    }

    public static TheoryData<string> ImageNames => new(ExpectedExperiments.Fixture.Images.Select(i => i.Name));

    [Fact]
    public void The_fixture_samples_four_tokens_in_each_of_three_images()
    {
        Assert.Equal(3, Fixture.Images.Count);
        Assert.All(Fixture.Images, image => Assert.Equal([0, 5, 21, 35], image.VariantLogits.Keys.Order()));
    }

    [Theory]
    [MemberData(nameof(SampledTokens))]
    public void Top1_prob_matches_the_fixture(string image, int token)
    {
        var expected = Fixture.Image(image);
        var top1 = HeadProbability.Top1(expected.VariantLogits[token].Single, Parameters.HeadTopK);
        Assert.Equal(expected.Tokens[token].Top1Prob, top1, AbsoluteTolerance);
    }

    [Theory]
    [MemberData(nameof(SampledTokens))]
    public void Jsd_region_matches_the_fixture(string image, int token)
    {
        var expected = Fixture.Image(image);
        var logits = expected.VariantLogits[token];
        var jsd = Divergence.Jsd(logits.Window, logits.WindowCenterPadded, Parameters.JsdTopK);
        AssertJsd(expected.Tokens[token].JsdRegion, jsd);
    }

    [Theory]
    [MemberData(nameof(SampledTokens))]
    public void Jsd_global_matches_the_fixture(string image, int token)
    {
        var expected = Fixture.Image(image);
        var jsd = Divergence.Jsd(expected.BaselineLogits, expected.VariantLogits[token].GlobalWindowPadded, Parameters.JsdTopK);
        AssertJsd(expected.Tokens[token].JsdGlobal, jsd);
    }

    [Theory]
    [MemberData(nameof(SampledTokens))]
    public void Redundancy_from_the_fixture_logits_matches_the_fixture_flag(string image, int token)
    {
        var expected = Fixture.Image(image);
        var logits = expected.VariantLogits[token];
        var p = Parameters;
        var redundant = RedundancyRule.IsRedundant(
            HeadProbability.Top1(logits.Single, p.HeadTopK),
            Divergence.Jsd(logits.Window, logits.WindowCenterPadded, p.JsdTopK),
            Divergence.Jsd(expected.BaselineLogits, logits.GlobalWindowPadded, p.JsdTopK),
            p);
        Assert.Equal(expected.Tokens[token].Redundant, redundant);
    }

    [Fact]
    public void Redundancy_from_the_fixture_values_matches_every_flag()
    {
        var p = Parameters;
        var tokens = Fixture.Images.SelectMany(i => i.Tokens).ToArray();
        Assert.All(tokens, t => Assert.Equal(t.Redundant, RedundancyRule.IsRedundant(t.Top1Prob, t.JsdRegion, t.JsdGlobal, p)));
        Assert.Equal(32, tokens.Count(t => t.Redundant));
    }

    [Theory]
    [MemberData(nameof(ImageNames))]
    public void Windows_match_every_fixture_token(string image)
    {
        Assert.All(Fixture.Image(image).Tokens, t => Assert.Equal(t.Window, TokenWindow.Around(t.TokenIndex, Fixture.Grid)));
    }

    [Theory]
    [MemberData(nameof(ImageNames))]
    public void Ranks_match_every_fixture_token(string image)
    {
        var tokens = Fixture.Image(image).Tokens;
        var ranks = ClsRanking.Rank(tokens.OrderBy(t => t.TokenIndex).Select(t => t.ClsSimilarity).ToArray());
        Assert.All(tokens, t => Assert.Equal(t.Rank, ranks[t.TokenIndex]));
    }

    [Theory]
    [MemberData(nameof(ImageNames))]
    public void Image_experiment_over_fixture_logits_reproduces_the_sampled_tokens(string image)
    {
        var expected = Fixture.Image(image);
        var scorer = new FixtureScorer(expected, Fixture.Grid);
        var clsSimilarity = expected.Tokens.OrderBy(t => t.TokenIndex).Select(t => t.ClsSimilarity).ToArray();
        int[] candidates = [35, 0, 21, 5];

        var result = ImageExperiment.Run(scorer, Fixture.Grid, clsSimilarity, candidates, Parameters);

        Assert.Equal(1, scorer.Calls);
        Assert.Equal(expected.BaselineLogits, result.BaselineLogits);
        Assert.Equal(candidates, result.Tokens.Select(t => t.TokenIndex));
        Assert.All(result.Tokens, actual =>
        {
            var want = expected.Tokens[actual.TokenIndex];
            Assert.Equal(want.Rank, actual.Rank);
            Assert.Equal(want.ClsSimilarity, actual.ClsSimilarity);
            Assert.Equal(want.Window, actual.Window);
            Assert.Equal(want.Top1Prob, actual.Top1Prob, AbsoluteTolerance);
            AssertJsd(want.JsdRegion, actual.JsdRegion);
            AssertJsd(want.JsdGlobal, actual.JsdGlobal);
            Assert.Equal(want.Redundant, actual.Redundant);
        });
    }

    private static void AssertJsd(double expected, double actual)
    {
        Assert.Equal(expected, actual, AbsoluteTolerance);
        Assert.True(
            Math.Abs(actual - expected) <= JsdRelativeTolerance * Math.Abs(expected),
            $"JSD {actual} differs from the fixture's {expected} by more than {JsdRelativeTolerance:P1}");
    }

    /// <summary>Answers with the fixture's logits for the variants the fixture describes, built here by plain code from its windows.</summary>
    private sealed class FixtureScorer : IVariantScorer
    {
        private readonly List<(int[] Variant, float[] Logits)> known = [];

        public FixtureScorer(ExpectedImage image, int grid)
        {
            var all = Enumerable.Range(0, grid * grid).ToArray();
            known.Add((all, image.BaselineLogits));
            foreach (var (token, logits) in image.VariantLogits)
            {
                var window = image.Tokens[token].Window;
                known.Add(([token], logits.Single));
                known.Add((window, logits.Window));
                known.Add((window.Select(w => w == token ? -1 : w).ToArray(), logits.WindowCenterPadded));
                known.Add((all.Select(t => window.Contains(t) ? -1 : t).ToArray(), logits.GlobalWindowPadded));
            }
        }

        public int Calls { get; private set; }

        public MeasuredLogits[] Measure(IReadOnlyList<int[]> variants)
        {
            Calls++;
            return variants.Select(v =>
            {
                var match = known.Where(k => k.Variant.SequenceEqual(v)).ToArray();
                Assert.True(match.Length == 1, $"the fixture has no logits for variant [{string.Join(", ", v)}]");
                return new MeasuredLogits(match[0].Logits, false);
            }).ToArray();
        }
    }
}
