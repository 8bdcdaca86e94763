using System.Text.Json;
using Mining.Kernels.Experiments;
using Mining.Kernels.Model;

namespace Mining.Kernels.Tests.Parity;

/// <summary>
/// The measured-logits rule (MODELS.md, "The measured logits") against tests/fixtures/llava-tiny-skip-ref, stage by
/// stage: first-position logits and measured logits ≤ 1e-4, lead_skipped flags equal, top1_prob and JSDs ≤ 1e-5
/// absolute (the issue's max(1e-5, 1e-3 relative) for these small scores), redundancy equal — batched and one variant at a time.
/// </summary>
public sealed class SkipRuleParityTests(SkipFixtureRuntime fixture, ITestOutputHelper output) : IClassFixture<SkipFixtureRuntime>
{
    private const double LogitTolerance = 1e-4;
    private const double ScoreTolerance = 1e-5;
    private const double JsdRelativeTolerance = 1e-3;

    private static readonly string[] Kinds = ["single", "window", "window_center_padded", "global_window_padded"];

    public static TheoryData<string> Images => new(SkipFixtureRuntime.ImageNames);

    [Fact]
    public void The_fixture_skip_token_resolves_to_its_recorded_id()
    {
        var ids = fixture.Expected.RootElement.GetProperty("skip_leading_token_ids").EnumerateArray().Select(e => e.GetInt32());
        Assert.Equal(["\u2581A"], fixture.Parameters.SkipLeadingTokens);
        Assert.Equal(ids, fixture.Runtime.SkipTokenIds(fixture.Parameters.SkipLeadingTokens));
    }

    [Fact]
    public void A_token_the_tokenizer_lacks_is_refused_naming_it()
    {
        var error = Assert.Throws<MiningParameterException>(() => fixture.Runtime.SkipTokenIds(["\u2581A", "\u2581Zebrafish"]));
        Assert.Equal("--skip-leading-tokens", error.Option);
        Assert.Contains("'\u2581Zebrafish'", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Theory]
    [MemberData(nameof(Images))]
    public void First_position_logits_match_the_reference(string name)
    {
        using var image = fixture.Encode(fixture.Runtime, name);
        var expected = fixture.Image(name);
        var (variants, wanted) = SampledVariants(expected, image.Grid, measured: false);
        var logits = fixture.Runtime.FirstTokenLogits(image, variants, fixture.Parameters.PadTokenId);
        var max = variants.Select((_, v) => MaxAbsDifference(wanted[v], logits[v])).Max();
        output.WriteLine($"{name}: first-position logits (baseline + {variants.Length - 1} sampled variants) max |diff| = {max:E2}");
        Assert.True(max <= LogitTolerance, $"first-position logits differ by {max}");
    }

    [Theory]
    [MemberData(nameof(Images))]
    public void Measured_logits_and_lead_skipped_flags_match_the_reference(string name)
    {
        foreach (var runtime in new[] { fixture.Runtime, fixture.Unbatched })
        {
            using var image = fixture.Encode(runtime, name);
            var expected = fixture.Image(name);
            var (variants, wanted) = SampledVariants(expected, image.Grid, measured: true);
            var skipped = SampledSkips(expected);
            var request = new VariantRequest(image, variants, fixture.Parameters.PadTokenId) { SkipTokenIds = runtime.SkipTokenIds(fixture.Parameters.SkipLeadingTokens) };
            var measured = runtime.MeasuredLogits([request])[0];
            Assert.Equal(skipped, measured.Select(m => m.LeadSkipped));
            var max = variants.Select((_, v) => MaxAbsDifference(wanted[v], measured[v].Logits)).Max();
            output.WriteLine($"{name} ({(runtime == fixture.Runtime ? "batched" : "one at a time")}): measured logits max |diff| = {max:E2}, {skipped.Count(s => s)} of {skipped.Length} skipped");
            Assert.True(max <= LogitTolerance, $"measured logits differ by {max}");
        }
    }

    [Theory]
    [MemberData(nameof(Images))]
    public void Every_token_experiment_matches_the_reference_with_the_rule(string name)
    {
        foreach (var runtime in new[] { fixture.Runtime, fixture.Unbatched })
        {
            using var image = fixture.Encode(runtime, name);
            var expected = fixture.Image(name);
            var scorer = new RuntimeVariantScorer(runtime, image, fixture.Parameters.PadTokenId, runtime.SkipTokenIds(fixture.Parameters.SkipLeadingTokens));
            var result = ImageExperiment.Run(scorer, image.Grid, image.Ranking, Enumerable.Range(0, image.TokenCount).ToArray(), fixture.Parameters);
            Assert.Equal(expected.GetProperty("baseline_lead_skipped").GetBoolean(), result.BaselineLeadSkipped);
            var measuredBaseline = SkipFixtureRuntime.Floats(expected.GetProperty("baseline_measured_logits"));
            Assert.True(MaxAbsDifference(measuredBaseline, result.BaselineLogits) <= LogitTolerance, "measured baseline logits differ");
            var deviation = CompareTokens(expected, result, token => token, checkSkips: true);
            output.WriteLine($"{name} ({(runtime == fixture.Runtime ? "batched" : "one at a time")}): {deviation}");
        }
    }

    [Theory]
    [MemberData(nameof(Images))]
    public void Without_skip_tokens_every_token_matches_the_reference_without_the_rule(string name)
    {
        using var image = fixture.Encode(fixture.Runtime, name);
        var parameters = fixture.Parameters with { SkipLeadingTokens = [] };
        var scorer = new RuntimeVariantScorer(fixture.Runtime, image, parameters.PadTokenId, fixture.Runtime.SkipTokenIds(parameters.SkipLeadingTokens));
        var result = ImageExperiment.Run(scorer, image.Grid, image.Ranking, Enumerable.Range(0, image.TokenCount).ToArray(), parameters);
        Assert.False(result.BaselineLeadSkipped);
        var deviation = CompareTokens(fixture.Image(name), result, token => token.GetProperty("without_skip"), checkSkips: false);
        Assert.All(result.Tokens, t => Assert.False(t.LeadSkipped.Any));
        output.WriteLine($"{name} without the rule: {deviation}");
    }

    private static string CompareTokens(JsonElement expected, ImageExperimentResult result, Func<JsonElement, JsonElement> scoresOf, bool checkSkips)
    {
        double top1 = 0, region = 0, global = 0, relative = 0;
        var worst = "";
        var tokens = expected.GetProperty("tokens").EnumerateArray().ToArray();
        Assert.Equal(tokens.Length, result.Tokens.Count);
        foreach (var token in tokens)
        {
            var index = token.GetProperty("token_index").GetInt32();
            var got = result.Tokens.Single(t => t.TokenIndex == index);
            var want = scoresOf(token);
            Assert.Equal(token.GetProperty("rank").GetInt32(), got.Rank);
            Assert.True(want.GetProperty("redundant").GetBoolean() == got.Redundant, $"token {index}: redundant is {got.Redundant}");
            if (checkSkips)
            {
                var skips = token.GetProperty("lead_skipped");
                var wanted = new LeadSkips(skips.GetProperty("single").GetBoolean(), skips.GetProperty("window").GetBoolean(), skips.GetProperty("window_center_padded").GetBoolean(), skips.GetProperty("global_window_padded").GetBoolean());
                Assert.True(wanted == got.LeadSkipped, $"token {index}: lead skipped {got.LeadSkipped}, expected {wanted}");
            }

            var (wantRegion, wantGlobal) = (want.GetProperty("jsd_region").GetDouble(), want.GetProperty("jsd_global").GetDouble());
            top1 = Math.Max(top1, Math.Abs(want.GetProperty("top1_prob").GetDouble() - got.Top1Prob));
            region = Math.Max(region, Math.Abs(wantRegion - got.JsdRegion));
            global = Math.Max(global, Math.Abs(wantGlobal - got.JsdGlobal));
            foreach (var (what, a, b) in new[] { ("jsd_region", wantRegion, got.JsdRegion), ("jsd_global", wantGlobal, got.JsdGlobal) })
            {
                var r = Math.Abs(a - b) / Math.Max(Math.Abs(a), 1e-12);
                if (r > relative)
                {
                    (relative, worst) = (r, $"token {index} {what} {b:E6} vs {a:E6}");
                }
            }
        }

        Assert.True(top1 <= ScoreTolerance, $"top1_prob differs by {top1}");
        Assert.True(region <= ScoreTolerance, $"jsd_region differs by {region}");
        Assert.True(global <= ScoreTolerance, $"jsd_global differs by {global}");
        // The issue's bound for this fixture: max(1e-5, 1e-3 relative). A JSD of a few 1e-6 (camera token 13's region
        // pair, both sides measured after the skip) carries fp32 noise of a few 1e-9, above 1e-3 of itself.
        Assert.True(region <= ScoreTolerance && global <= ScoreTolerance || relative <= JsdRelativeTolerance, $"a JSD differs by {relative} relative ({worst})");
        return $"top1 {top1:E2}, jsd_region {region:E2}, jsd_global {global:E2}, JSD relative {relative:E2}";
    }

    /// <summary>The baseline and the four variants of each sampled token, with the fixture's first-position or measured logits of each.</summary>
    private static (int[][] Variants, float[][] Logits) SampledVariants(JsonElement image, int grid, bool measured)
    {
        var variants = new List<int[]> { VisualVariant.Baseline(grid * grid) };
        var logits = new List<float[]> { SkipFixtureRuntime.Floats(image.GetProperty(measured ? "baseline_measured_logits" : "baseline_logits")) };
        foreach (var sample in image.GetProperty("variant_logits").EnumerateObject())
        {
            var token = int.Parse(sample.Name, System.Globalization.CultureInfo.InvariantCulture);
            variants.AddRange([VisualVariant.Single(token, 1), VisualVariant.Window(token, grid), VisualVariant.WindowCenterPadded(token, grid), VisualVariant.GlobalWindowPadded(token, grid)]);
            foreach (var kind in Kinds)
            {
                var source = measured && sample.Value.GetProperty("measured").TryGetProperty(kind, out var later) ? later : sample.Value.GetProperty(kind);
                logits.Add(SkipFixtureRuntime.Floats(source));
            }
        }

        return (variants.ToArray(), logits.ToArray());
    }

    /// <summary>Whether the fixture skipped the lead of each of <see cref="SampledVariants"/>' variants.</summary>
    private static bool[] SampledSkips(JsonElement image)
    {
        var skips = new List<bool> { image.GetProperty("baseline_lead_skipped").GetBoolean() };
        foreach (var sample in image.GetProperty("variant_logits").EnumerateObject())
        {
            var token = int.Parse(sample.Name, System.Globalization.CultureInfo.InvariantCulture);
            var flags = image.GetProperty("tokens").EnumerateArray().Single(t => t.GetProperty("token_index").GetInt32() == token).GetProperty("lead_skipped");
            skips.AddRange(Kinds.Select(kind => flags.GetProperty(kind).GetBoolean()));
            Assert.Equal(Kinds.Where(kind => flags.GetProperty(kind).GetBoolean()), sample.Value.GetProperty("measured").EnumerateObject().Select(p => p.Name).OrderBy(k => Array.IndexOf(Kinds, k)));
        }

        return skips.ToArray();
    }

    private static double MaxAbsDifference(IReadOnlyList<float> expected, IReadOnlyList<float> actual)
    {
        Assert.Equal(expected.Count, actual.Count);
        var max = 0.0;
        for (var i = 0; i < expected.Count; i++)
        {
            max = Math.Max(max, Math.Abs(expected[i] - actual[i]));
        }

        return max;
    }
}
