namespace Mining.Client.Tests.Commands;

/// <summary>
/// <c>mining experiment --json</c> on the fixture against expected.json: ranks, windows and redundancy equal;
/// cls similarity, top-1 probability and both JSDs within 1e-5 absolute, JSDs also within 1e-3 relative.
/// </summary>
public sealed class ExperimentJsonTests(ITestOutputHelper output)
{
    private const double Tolerance = 1e-5;
    private const double JsdRelativeTolerance = 1e-3;

    public static TheoryData<string> Images => new(ExpectedReference.ImageNames);

    [Theory]
    [MemberData(nameof(Images))]
    public void All_tokens_reports_every_token_once(string name)
    {
        var tokens = ExperimentRuns.Tokens(ExperimentRuns.AllTokensJson(name));
        Assert.Equal(Enumerable.Range(0, 36), tokens.Select(t => t.TokenIndex).Order());
    }

    [Theory]
    [MemberData(nameof(Images))]
    public void All_tokens_ranks_windows_and_redundancy_equal_the_reference(string name)
    {
        var expected = ExpectedReference.Fixture.Image(name);
        foreach (var token in ExperimentRuns.Tokens(ExperimentRuns.AllTokensJson(name)))
        {
            var want = expected.Token(token.TokenIndex);
            Assert.Equal(want.Rank, token.Rank);
            Assert.Equal(want.Window, token.Window);
            Assert.Equal(want.Redundant, token.Redundant);
        }
    }

    [Theory]
    [MemberData(nameof(Images))]
    public void All_tokens_scores_match_the_reference_within_1e5(string name)
    {
        var expected = ExpectedReference.Fixture.Image(name);
        var tokens = ExperimentRuns.Tokens(ExperimentRuns.AllTokensJson(name));
        AssertScoresMatch(name, expected, tokens);
    }

    [Theory]
    [MemberData(nameof(Images))]
    public void Default_candidates_are_the_eleven_stratified_ranks(string name)
    {
        // The reference's 10 rank bands for 576 tokens scaled to 36 (576 / 36 = 16): band [s, e] gives ranks
        // ⌊(s−1)/16⌋+1 … ⌈e/16⌉, i.e. [1,24]→1–2, [37,44]→3, [73,80]→5, [145,152]→10, [217,224]→14,
        // [289,296]→19, [361,368]→23, [433,440]→28, [505,512]→32, [569,576]→36.
        int[] ranks = [1, 2, 3, 5, 10, 14, 19, 23, 28, 32, 36];
        var tokens = ExperimentRuns.Tokens(ExperimentRuns.CandidatesJson(name));
        Assert.Equal(ranks, tokens.Select(t => t.Rank).Order());
        var expected = ExpectedReference.Fixture.Image(name);
        var tokenAtRank = ranks.Select(r => expected.Tokens.Single(t => t.Rank == r).TokenIndex);
        Assert.Equal(tokenAtRank.Order(), tokens.Select(t => t.TokenIndex).Order());
    }

    [Theory]
    [MemberData(nameof(Images))]
    public void Default_candidates_carry_the_same_results_as_in_the_reference(string name)
    {
        var expected = ExpectedReference.Fixture.Image(name);
        var tokens = ExperimentRuns.Tokens(ExperimentRuns.CandidatesJson(name));
        foreach (var token in tokens)
        {
            var want = expected.Token(token.TokenIndex);
            Assert.Equal(want.Window, token.Window);
            Assert.Equal(want.Redundant, token.Redundant);
        }

        AssertScoresMatch(name, expected, tokens);
    }

    private void AssertScoresMatch(string name, ExpectedImage expected, IReadOnlyList<TokenRow> tokens)
    {
        Assert.NotEmpty(tokens);
        double cls = 0, top1 = 0, region = 0, global = 0, relative = 0;
        foreach (var token in tokens)
        {
            var want = expected.Token(token.TokenIndex);
            cls = Math.Max(cls, Math.Abs(want.ClsSimilarity - token.ClsSimilarity));
            top1 = Math.Max(top1, Math.Abs(want.Top1Prob - token.Top1Prob));
            region = Math.Max(region, Math.Abs(want.JsdRegion - token.JsdRegion));
            global = Math.Max(global, Math.Abs(want.JsdGlobal - token.JsdGlobal));
            relative = Math.Max(relative, Relative(want.JsdRegion, token.JsdRegion));
            relative = Math.Max(relative, Relative(want.JsdGlobal, token.JsdGlobal));
        }

        output.WriteLine($"{name} ({tokens.Count} tokens): cls {cls:E2}, top1 {top1:E2}, jsd_region {region:E2}, jsd_global {global:E2}, JSD relative {relative:E2}");
        Assert.True(cls <= Tolerance, $"cls_similarity differs by {cls}");
        Assert.True(top1 <= Tolerance, $"top1_prob differs by {top1}");
        Assert.True(region <= Tolerance, $"jsd_region differs by {region}");
        Assert.True(global <= Tolerance, $"jsd_global differs by {global}");
        Assert.True(relative <= JsdRelativeTolerance, $"a JSD differs by {relative} relative");
    }

    private static double Relative(double expected, double actual) =>
        Math.Abs(expected - actual) / Math.Max(Math.Abs(expected), 1e-12);
}
