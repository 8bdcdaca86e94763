using Mining.Kernels.Experiments;
using Mining.Kernels.IO;
using Mining.Kernels.Model;
using Mining.Kernels.Tests.Experiments;
using Mining.Kernels.Text;

namespace Mining.Kernels.Tests.Parity;

/// <summary>
/// The runtime on a family's reference fixture, stage by stage, at the tolerances of its README: prompt ids equal,
/// visual tokens and logits ≤ 1e-4, cls similarity ≤ 1e-5 (where the tower has a [CLS]), top1 and JSDs ≤ max(1e-5,
/// 1e-3 relative), ranks, windows and flags equal. Each family's class says what the fixture must show of the family.
/// </summary>
public abstract class ReferenceParityTests<TFixture>(TFixture fixture, ITestOutputHelper output) : IClassFixture<TFixture>
    where TFixture : ReferenceFixtureRuntime
{
    private const double LogitTolerance = 1e-4;

    public static TheoryData<string> Images => new(ReferenceFixtureRuntime.ImageNames);

    /// <summary>The family the checkpoint's config.json must select.</summary>
    protected abstract ModelFamily Family { get; }

    /// <summary>The fixture's <c>parameters.ranking</c>: "cls_similarity" (CLIP) or "token_order" (SigLIP, no [CLS]).</summary>
    protected abstract string Ranking { get; }

    /// <summary>The pad embedding row the reference used for this family (MODELS.md).</summary>
    protected abstract int PadTokenId { get; }

    private ExpectedExperiments Expected => fixture.Expected;

    [Fact]
    public void The_runtime_picks_the_family_and_builds_the_reference_prompt_ids()
    {
        Assert.Equal(Family, fixture.Runtime.Family);
        Assert.Equal(TokenizerFamily.ByteLevelBpe, fixture.Runtime.Tokenizer.Family);
        Assert.Empty(fixture.Runtime.Tokenizer.DefaultSkipLeadingTokens);
        Assert.Equal(fixture.Tokenization.Prefix, fixture.Runtime.Prompt.PrefixIds);
        Assert.Equal(fixture.Tokenization.Suffix, fixture.Runtime.Prompt.SuffixIds);
    }

    [Theory]
    [MemberData(nameof(Images))]
    public void Visual_tokens_match_the_reference(string name)
    {
        using var image = fixture.EncodeFixturePixels(name);
        var expected = NpyFile.Read(fixture.Array($"{name}.visual_tokens.npy"));
        Assert.Equal([fixture.Runtime.VisualTokenCount, fixture.Runtime.Config.Text.HiddenSize], expected.Shape);
        var max = MaxAbsDifference(expected.ToFloat32(), image.VisualTokensToArray());
        output.WriteLine($"{name}: visual tokens max |diff| = {max:E3}");
        Assert.True(max <= LogitTolerance, $"visual tokens differ by {max}");
    }

    [Theory]
    [MemberData(nameof(Images))]
    public void Visual_tokens_from_the_png_match_the_reference(string name)
    {
        using var image = fixture.EncodeFromFile(name);
        var expected = NpyFile.Read(fixture.Array($"{name}.visual_tokens.npy")).ToFloat32();
        var max = MaxAbsDifference(expected, image.VisualTokensToArray());
        output.WriteLine($"{name}: visual tokens from the png max |diff| = {max:E3}");
        Assert.True(max <= LogitTolerance, $"visual tokens from {name}.png differ by {max}");
    }

    [Theory]
    [MemberData(nameof(Images))]
    public void Every_rank_and_cls_similarity_match_the_reference(string name)
    {
        using var image = fixture.EncodeFixturePixels(name);
        var max = 0.0;
        foreach (var token in Expected.Image(name).Tokens)
        {
            Assert.Equal(token.Rank, image.Ranking.Ranks[token.TokenIndex]);
            Assert.Equal(float.IsNaN(token.ClsSimilarity), image.ClsSimilarity is null);
            if (image.ClsSimilarity is { } similarity)
            {
                max = Math.Max(max, Math.Abs(token.ClsSimilarity - similarity[token.TokenIndex]));
            }
        }

        output.WriteLine($"{name}: ranks equal, cls similarity max |diff| = {max:E3}");
        Assert.True(max <= 1e-5, $"cls similarity differs by {max}");
    }

    [Theory]
    [MemberData(nameof(Images))]
    public void Baseline_logits_match_the_reference(string name)
    {
        using var image = fixture.EncodeFixturePixels(name);
        var logits = fixture.Runtime.BaselineLogits(image);
        Assert.Equal(fixture.Runtime.Config.Text.VocabSize, logits.Length);
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
        Assert.Equal(PadTokenId, parameters.PadTokenId);
        var scorer = new RuntimeVariantScorer(fixture.Runtime, image, parameters.PadTokenId);
        var result = ImageExperiment.Run(scorer, image.Grid, image.Ranking, Enumerable.Range(0, image.TokenCount).ToArray(), parameters);
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
    /// The fixture's mining parameters. Its descriptive fields say how the reference ran (the ranking, all tokens, one
    /// copy of a single token): what Mining does for the family, checked here and left out of the parameters.
    /// </summary>
    private MiningParameters Parameters()
    {
        var json = System.Text.Json.Nodes.JsonNode.Parse(Expected.ParametersJson)!.AsObject();
        Assert.Equal(Ranking, (string?)json["ranking"]);
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
