using System.Text.Json;

namespace Mining.Client.Tests.Commands;

/// <summary>
/// <c>mining experiment --all-tokens --json</c> on llava-tiny-skip-ref with that fixture's parameters and the default skip
/// list (["▁A"]) against its expected.json: every score within max(1e-5, 1e-3 relative), every redundancy and
/// lead-skipped flag equal; with <c>--skip-leading-tokens none</c>, its <c>without_skip</c> results.
/// </summary>
public sealed class ExperimentSkipRuleJsonTests(ITestOutputHelper output)
{
    public static TheoryData<string> Images => new(ExpectedReference.ImageNames);

    [Theory]
    [MemberData(nameof(Images))]
    public void Default_skip_list_matches_the_reference_rule(string name)
    {
        var run = ExperimentRuns.SkipFixtureAllTokensJson(name);
        Assert.True(run.ExitCode == 0, run.Describe());
        using var document = JsonDocument.Parse(run.Stdout);
        var expected = ExpectedReference.SkipFixture.Image(name);
        Assert.Equal(expected.BaselineLeadSkipped, document.RootElement.GetProperty("baseline_skipped").GetBoolean());
        var tokens = document.RootElement.GetProperty("tokens").EnumerateArray().Select(TokenRow.Parse).ToArray();
        Assert.Equal(expected.Tokens.Count, tokens.Length);
        foreach (var token in tokens)
        {
            var want = expected.Token(token.TokenIndex);
            Assert.Equal(want.Skipped, token.Skipped);
        }

        AssertMatches(name, expected.Tokens, tokens);
    }

    [Theory]
    [MemberData(nameof(Images))]
    public void Skip_list_none_matches_the_reference_without_the_rule(string name)
    {
        var run = ExperimentRuns.SkipFixtureAllTokensJson(name, skipOff: true);
        Assert.True(run.ExitCode == 0, run.Describe());
        using var document = JsonDocument.Parse(run.Stdout);
        Assert.False(document.RootElement.GetProperty("baseline_skipped").GetBoolean());
        var tokens = document.RootElement.GetProperty("tokens").EnumerateArray().Select(TokenRow.Parse).ToArray();
        Assert.All(tokens, t => Assert.Equal([false, false, false, false], t.Skipped ?? []));
        using var fixture = JsonDocument.Parse(File.ReadAllText(Path.Combine(TestData.SkipFixture, "expected.json")));
        var withoutSkip = fixture.RootElement.GetProperty("images").EnumerateArray().Single(i => i.GetProperty("name").GetString() == name)
            .GetProperty("tokens").EnumerateArray()
            .Select(t =>
            {
                var plain = ExpectedReference.SkipFixture.Image(name).Token(t.GetProperty("token_index").GetInt32());
                var w = t.GetProperty("without_skip");
                return plain with
                {
                    Top1Prob = w.GetProperty("top1_prob").GetDouble(),
                    JsdRegion = w.GetProperty("jsd_region").GetDouble(),
                    JsdGlobal = w.GetProperty("jsd_global").GetDouble(),
                    Redundant = w.GetProperty("redundant").GetBoolean(),
                };
            }).ToArray();
        AssertMatches($"{name} (none)", withoutSkip, tokens);
    }

    [Fact]
    public void A_skip_token_the_tokenizer_lacks_is_refused_before_work()
    {
        var run = CliProcess.Run(
        [
            "experiment", "--model", Path.Combine(TestData.SkipFixture, "model"), "--image", ExpectedReference.SkipFixture.Image("chelsea").Png,
            "--skip-leading-tokens", "\u2581A,\u2581Zebrafish",
        ]);
        Assert.Equal(2, run.ExitCode);
        Assert.Empty(run.Stdout);
        var line = Assert.Single(run.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("--skip-leading-tokens", line, StringComparison.Ordinal);
        Assert.Contains("'\u2581Zebrafish'", line, StringComparison.Ordinal);
    }

    private void AssertMatches(string name, IReadOnlyList<TokenRow> expected, IReadOnlyList<TokenRow> tokens)
    {
        double worst = 0;
        foreach (var token in tokens)
        {
            var want = expected.Single(t => t.TokenIndex == token.TokenIndex);
            Assert.Equal(want.Rank, token.Rank);
            Assert.Equal(want.Window, token.Window);
            Assert.True(want.Redundant == token.Redundant, $"{name} token {token.TokenIndex}: redundant is {token.Redundant}");
            foreach (var (what, a, b) in new[] { ("cls_similarity", want.ClsSimilarity, token.ClsSimilarity), ("top1_prob", want.Top1Prob, token.Top1Prob), ("jsd_region", want.JsdRegion, token.JsdRegion), ("jsd_global", want.JsdGlobal, token.JsdGlobal) })
            {
                var allowed = Math.Max(1e-5, 1e-3 * Math.Abs(a));
                worst = Math.Max(worst, Math.Abs(a - b) / allowed);
                Assert.True(Math.Abs(a - b) <= allowed, $"{name} token {token.TokenIndex}: {what} {b} differs from {a} by more than {allowed}");
            }
        }

        output.WriteLine($"{name}: largest deviation {worst:F3} of the allowed max(1e-5, 1e-3 relative)");
    }
}
