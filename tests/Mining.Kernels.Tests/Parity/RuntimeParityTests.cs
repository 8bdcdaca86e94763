using Mining.Kernels.Experiments;
using Mining.Kernels.IO;
using Mining.Kernels.Model;
using Mining.Kernels.Tests.Experiments;

namespace Mining.Kernels.Tests.Parity;

/// <summary>
/// The runtime against the independent reference in tests/fixtures/llava-tiny-ref, stage by stage, at the
/// tolerances of its README: visual tokens and logits ≤ 1e-4, cls similarity ≤ 1e-5, ranks equal.
/// </summary>
public sealed class RuntimeParityTests(FixtureRuntime fixture, ITestOutputHelper output) : IClassFixture<FixtureRuntime>
{
    private const double LogitTolerance = 1e-4;

    public static TheoryData<string> Images => new(FixtureRuntime.ImageNames);

    [Theory]
    [MemberData(nameof(Images))]
    public void Visual_tokens_match_the_reference(string name)
    {
        using var image = fixture.EncodeFixturePixels(name);
        var expected = NpyFile.Read(TestData.FixtureArray($"{name}.visual_tokens.npy"));
        Assert.Equal([36, 64], expected.Shape);
        var max = MaxAbsDifference(expected.ToFloat32(), image.VisualTokensToArray());
        output.WriteLine($"{name}: visual tokens max |diff| = {max:E3}");
        Assert.True(max <= LogitTolerance, $"visual tokens differ by {max}");
    }

    [Theory]
    [MemberData(nameof(Images))]
    public void Visual_tokens_from_the_png_match_the_reference(string name)
    {
        using var image = fixture.EncodeFromFile(name);
        var expected = NpyFile.Read(TestData.FixtureArray($"{name}.visual_tokens.npy")).ToFloat32();
        var max = MaxAbsDifference(expected, image.VisualTokensToArray());
        Assert.True(max <= LogitTolerance, $"visual tokens from {name}.png differ by {max}");
    }

    [Theory]
    [MemberData(nameof(Images))]
    public void Cls_similarity_and_rank_match_the_reference(string name)
    {
        using var image = fixture.EncodeFixturePixels(name);
        var expected = ExpectedExperiments.Fixture.Image(name).Tokens;
        var similarity = image.ClsSimilarity!;
        var ranks = ClsRanking.Rank(similarity);
        var max = 0.0;
        foreach (var token in expected)
        {
            max = Math.Max(max, Math.Abs(token.ClsSimilarity - similarity[token.TokenIndex]));
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
        var max = MaxAbsDifference(ExpectedExperiments.Fixture.Image(name).BaselineLogits, logits);
        output.WriteLine($"{name}: baseline logits max |diff| = {max:E3}");
        Assert.True(max <= LogitTolerance, $"baseline logits differ by {max}");
    }

    [Theory]
    [MemberData(nameof(Images))]
    public void The_four_variants_of_the_sampled_tokens_match_the_reference(string name)
    {
        using var image = fixture.EncodeFixturePixels(name);
        var expected = ExpectedExperiments.Fixture.Image(name).VariantLogits;
        var grid = image.Grid;
        foreach (var (token, variants) in expected)
        {
            var logits = fixture.Runtime.FirstTokenLogits(
                image,
                [
                    VisualVariant.Single(token, 1),
                    VisualVariant.Window(token, grid),
                    VisualVariant.WindowCenterPadded(token, grid),
                    VisualVariant.GlobalWindowPadded(token, grid),
                ],
                padTokenId: 0);
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
        var expected = ExpectedExperiments.Fixture.Image(name).Tokens;
        // The fixture was computed without the skip rule (its parameters name no skip_leading_tokens).
        var parameters = MiningParameters.FromJson(ExpectedExperiments.Fixture.ParametersJson) with { SkipLeadingTokens = [] };
        var scorer = new RuntimeVariantScorer(fixture.Runtime, image, parameters.PadTokenId, fixture.Runtime.SkipTokenIds(parameters.SkipLeadingTokens));
        var result = ImageExperiment.Run(scorer, image.Grid, image.Ranking, Enumerable.Range(0, image.TokenCount).ToArray(), parameters);
        double top1 = 0, region = 0, global = 0, relative = 0;
        foreach (var want in expected)
        {
            var got = result.Tokens.Single(t => t.TokenIndex == want.TokenIndex);
            Assert.Equal(want.Rank, got.Rank);
            Assert.Equal(want.Window, got.Window);
            Assert.Equal(want.Redundant, got.Redundant);
            top1 = Math.Max(top1, Math.Abs(want.Top1Prob - got.Top1Prob));
            region = Math.Max(region, Math.Abs(want.JsdRegion - got.JsdRegion));
            global = Math.Max(global, Math.Abs(want.JsdGlobal - got.JsdGlobal));
            relative = Math.Max(relative, RelativeDifference(want.JsdRegion, got.JsdRegion));
            relative = Math.Max(relative, RelativeDifference(want.JsdGlobal, got.JsdGlobal));
        }

        output.WriteLine($"{name}: top1 {top1:E2}, jsd_region {region:E2}, jsd_global {global:E2}, JSD relative {relative:E2}");
        Assert.True(top1 <= 1e-5, $"top1_prob differs by {top1}");
        Assert.True(region <= 1e-5, $"jsd_region differs by {region}");
        Assert.True(global <= 1e-5, $"jsd_global differs by {global}");
        Assert.True(relative <= 1e-3, $"JSD differs by {relative} relative");
    }

    [Fact]
    public void Batched_variable_length_forward_equals_one_at_a_time()
    {
        using var image = fixture.EncodeFixturePixels("chelsea");
        var grid = image.Grid;
        int[][] variants =
        [
            VisualVariant.Baseline(image.TokenCount),
            VisualVariant.Single(7, 1),
            VisualVariant.Window(14, grid),
            VisualVariant.WindowCenterPadded(35, grid),
            VisualVariant.GlobalWindowPadded(0, grid),
            VisualVariant.Single(3, 4),
        ];
        var batched = fixture.Runtime.FirstTokenLogits(image, variants, padTokenId: 0);
        for (var i = 0; i < variants.Length; i++)
        {
            var alone = fixture.Runtime.FirstTokenLogits(image, [variants[i]], padTokenId: 0)[0];
            var max = MaxAbsDifference(alone, batched[i]);
            Assert.True(max <= 1e-5, $"variant {i} (length {variants[i].Length}) differs batched vs alone by {max}");
        }
    }

    [Fact]
    public void The_pad_embedding_is_the_input_embedding_row_of_the_pad_token_id()
    {
        using var image = fixture.EncodeFixturePixels("coffee84");
        var viaPad = fixture.Runtime.FirstTokenLogits(image, [[LlavaRuntime.PadSlot, 3]], padTokenId: 5)[0];
        var otherPad = fixture.Runtime.FirstTokenLogits(image, [[LlavaRuntime.PadSlot, 3]], padTokenId: 0)[0];
        Assert.True(MaxAbsDifference(viaPad, otherPad) > 1e-3, "a different pad token id must change the logits");
        var embedding = fixture.Runtime.PadEmbedding(5); // owned by the runtime
        Assert.Equal([1L, 64L], embedding.shape);
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

    private static double RelativeDifference(double expected, double actual) =>
        Math.Abs(expected - actual) / Math.Max(Math.Abs(expected), 1e-12);
}
