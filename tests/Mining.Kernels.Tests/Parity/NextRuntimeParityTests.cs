using Mining.Kernels.Experiments;
using Mining.Kernels.IO;
using Mining.Kernels.Model;
using Mining.Kernels.Tests.Experiments;
using Mining.Kernels.Tests.Text;
using Mining.Kernels.Text;

namespace Mining.Kernels.Tests.Parity;

/// <summary>
/// The runtime on a LLaVA-NeXT checkpoint (LLaMA-3, byte-level BPE) against the independent reference in
/// tests/fixtures/llava-next-tiny-ref, stage by stage, at the tolerances of its README: prompt ids equal, visual tokens
/// and logits ≤ 1e-4, cls similarity ≤ 1e-5, top1 and JSDs ≤ max(1e-5, 1e-3 relative), ranks, windows and flags equal.
/// </summary>
public sealed class NextRuntimeParityTests(NextFixtureRuntime fixture, ITestOutputHelper output) : IClassFixture<NextFixtureRuntime>
{
    private const double LogitTolerance = 1e-4;

    public static TheoryData<string> Images => new(NextFixtureRuntime.ImageNames);

    private static ExpectedExperiments Expected => ExpectedExperiments.Next;

    [Fact]
    public void The_runtime_picks_the_next_family_and_builds_the_reference_prompt_ids()
    {
        Assert.Equal(ModelFamily.Next, fixture.Runtime.Family);
        Assert.Equal(TokenizerFamily.ByteLevelBpe, fixture.Runtime.Tokenizer.Family);
        Assert.Empty(fixture.Runtime.Tokenizer.DefaultSkipLeadingTokens);
        Assert.Equal(ReferenceTokenization.Next.Prefix, fixture.Runtime.Prompt.PrefixIds);
        Assert.Equal(ReferenceTokenization.Next.Suffix, fixture.Runtime.Prompt.SuffixIds);
    }

    [Theory]
    [MemberData(nameof(Images))]
    public void Visual_tokens_match_the_reference(string name)
    {
        using var image = fixture.EncodeFixturePixels(name);
        var expected = NpyFile.Read(TestData.NextFixtureArray($"{name}.visual_tokens.npy"));
        Assert.Equal([64, 64], expected.Shape);
        var max = MaxAbsDifference(expected.ToFloat32(), image.VisualTokensToArray());
        output.WriteLine($"{name}: visual tokens max |diff| = {max:E3}");
        Assert.True(max <= LogitTolerance, $"visual tokens differ by {max}");
    }

    [Theory]
    [MemberData(nameof(Images))]
    public void Visual_tokens_from_the_png_match_the_reference(string name)
    {
        using var image = fixture.EncodeFromFile(name);
        var expected = NpyFile.Read(TestData.NextFixtureArray($"{name}.visual_tokens.npy")).ToFloat32();
        var max = MaxAbsDifference(expected, image.VisualTokensToArray());
        output.WriteLine($"{name}: visual tokens from the png max |diff| = {max:E3}");
        Assert.True(max <= LogitTolerance, $"visual tokens from {name}.png differ by {max}");
    }

    [Theory]
    [MemberData(nameof(Images))]
    public void Cls_similarity_and_rank_match_the_reference(string name)
    {
        using var image = fixture.EncodeFixturePixels(name);
        var ranks = ClsRanking.Rank(image.ClsSimilarity);
        var max = 0.0;
        foreach (var token in Expected.Image(name).Tokens)
        {
            max = Math.Max(max, Math.Abs(token.ClsSimilarity - image.ClsSimilarity[token.TokenIndex]));
            Assert.Equal(token.Rank, ranks[token.TokenIndex]);
        }

        output.WriteLine($"{name}: cls similarity max |diff| = {max:E3}");
        Assert.True(max <= 1e-5, $"cls similarity differs by {max}");
    }

    [Theory]
    [MemberData(nameof(Images))]
    public void Baseline_logits_match_the_reference(string name)
    {
        using var image = fixture.EncodeFixturePixels(name);
        var logits = fixture.Runtime.BaselineLogits(image);
        Assert.Equal(704, logits.Length);
        var max = MaxAbsDifference(Expected.Image(name).BaselineLogits, logits);
        output.WriteLine($"{name}: baseline logits max |diff| = {max:E3}");
        Assert.True(max <= LogitTolerance, $"baseline logits differ by {max}");
    }

    [Theory]
    [MemberData(nameof(Images))]
    public void The_four_variants_of_the_sampled_tokens_match_the_reference(string name)
    {
        using var image = fixture.EncodeFixturePixels(name);
        var parameters = Parameters();
        foreach (var (token, variants) in Expected.Image(name).VariantLogits)
        {
            var logits = fixture.Runtime.FirstTokenLogits(
                image,
                [
                    VisualVariant.Single(token, 1),
                    VisualVariant.Window(token, image.Grid),
                    VisualVariant.WindowCenterPadded(token, image.Grid),
                    VisualVariant.GlobalWindowPadded(token, image.Grid),
                ],
                parameters.PadTokenId);
            var differences = new[]
            {
                MaxAbsDifference(variants.Single, logits[0]),
                MaxAbsDifference(variants.Window, logits[1]),
                MaxAbsDifference(variants.WindowCenterPadded, logits[2]),
                MaxAbsDifference(variants.GlobalWindowPadded, logits[3]),
            };
            output.WriteLine($"{name} token {token}: single {differences[0]:E2}, window {differences[1]:E2}, centre padded {differences[2]:E2}, global padded {differences[3]:E2}");
            Assert.All(differences, d => Assert.True(d <= LogitTolerance, $"token {token}: variant logits differ by {d}"));
        }
    }

    [Theory]
    [MemberData(nameof(Images))]
    public void Every_token_experiment_matches_the_reference(string name)
    {
        using var image = fixture.EncodeFixturePixels(name);
        var expected = Expected.Image(name).Tokens;
        var parameters = Parameters();
        Assert.Equal(0, parameters.PadTokenId); // the reference's NeXT pad embedding is row 0, not config's <pad> 647
        var scorer = new RuntimeVariantScorer(fixture.Runtime, image, parameters.PadTokenId);
        var result = ImageExperiment.Run(scorer, image.Grid, image.ClsSimilarity, Enumerable.Range(0, image.TokenCount).ToArray(), parameters);
        Assert.Equal(expected.Count, result.Tokens.Count);
        double top1 = 0, region = 0, global = 0;
        foreach (var want in expected)
        {
            var got = result.Tokens.Single(t => t.TokenIndex == want.TokenIndex);
            Assert.Equal(want.Rank, got.Rank);
            Assert.Equal(want.Window, got.Window);
            Assert.Equal(want.Redundant, got.Redundant);
            top1 = Math.Max(top1, Excess(want.Top1Prob, got.Top1Prob));
            region = Math.Max(region, Excess(want.JsdRegion, got.JsdRegion));
            global = Math.Max(global, Excess(want.JsdGlobal, got.JsdGlobal));
        }

        output.WriteLine($"{name}: worst |diff| / max(1e-5, 1e-3·|expected|): top1 {top1:F3}, jsd_region {region:F3}, jsd_global {global:F3}");
        Assert.True(top1 <= 1, $"top1_prob differs by {top1} of its tolerance");
        Assert.True(region <= 1, $"jsd_region differs by {region} of its tolerance");
        Assert.True(global <= 1, $"jsd_global differs by {global} of its tolerance");
    }

    /// <summary>
    /// The fixture's mining parameters. Its descriptive fields say how the reference ran (ranking by [CLS] similarity,
    /// all tokens, one copy of a single token): what Mining does for NeXT, checked here and left out of the parameters.
    /// </summary>
    private static MiningParameters Parameters()
    {
        var json = System.Text.Json.Nodes.JsonNode.Parse(Expected.ParametersJson)!.AsObject();
        Assert.Equal("cls_similarity", (string?)json["ranking"]);
        Assert.True((bool)json["all_tokens"]!);
        Assert.Equal(1, (int)json["single_token_dup"]!);
        json.Remove("ranking");
        json.Remove("all_tokens");
        json.Remove("single_token_dup");
        return MiningParameters.FromJson(json.ToJsonString());
    }

    /// <summary>|expected − actual| as a fraction of the README's tolerance max(1e-5, 1e-3·|expected|): at most 1 passes.</summary>
    private static double Excess(double expected, double actual) =>
        Math.Abs(expected - actual) / Math.Max(1e-5, 1e-3 * Math.Abs(expected));

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
