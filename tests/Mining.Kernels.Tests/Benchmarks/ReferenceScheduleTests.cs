using Mining.Benchmarks;
using Mining.Kernels.Experiments;
using Mining.Kernels.IO;
using Mining.Kernels.Model;
using Mining.Kernels.Tests.Experiments;

namespace Mining.Kernels.Tests.Benchmarks;

/// <summary>The reference schedule is the plain path the engine is compared with, so it must itself match the fixture.</summary>
public sealed class ReferenceScheduleTests
{
    [Fact]
    public void First_token_logits_match_the_fixture_reference()
    {
        using var runtime = LlavaRuntime.Load(TestData.FixtureModel);
        var pixels = NpyFile.Read(TestData.FixtureArray("chelsea.pixel_values.npy")).ToFloat32();
        using var image = runtime.Encode(pixels);
        var expected = ExpectedExperiments.Fixture.Image("chelsea");
        var token = expected.VariantLogits.Keys.Min();
        int[][] variants = [VisualVariant.Baseline(image.TokenCount), VisualVariant.Window(token, image.Grid), VisualVariant.GlobalWindowPadded(token, image.Grid)];

        var logits = new ReferenceSchedule(runtime).FirstTokenLogits(pixels, variants, padTokenId: 0);

        var max = new[]
        {
            MaxAbs(expected.BaselineLogits, logits[0]),
            MaxAbs(expected.VariantLogits[token].Window, logits[1]),
            MaxAbs(expected.VariantLogits[token].GlobalWindowPadded, logits[2]),
        }.Max();
        Assert.True(max <= 1e-4, $"reference schedule logits differ from the fixture by {max}");
    }

    [Fact]
    public void Each_variant_encodes_the_image_runs_its_whole_prompt_with_every_position_through_the_head_then_at_most_seven_single_position_steps()
    {
        using var runtime = LlavaRuntime.Load(TestData.FixtureModel);
        var pixels = NpyFile.Read(TestData.FixtureArray("camera.pixel_values.npy")).ToFloat32();
        var tokens = ExpectedExperiments.Fixture.Grid * ExpectedExperiments.Fixture.Grid;
        var schedule = new ReferenceSchedule(runtime);
        var promptLength = runtime.Prompt.PrefixIds.Length + runtime.Prompt.SuffixIds.Length;

        schedule.FirstTokenLogits(pixels, [VisualVariant.Single(3, 1), VisualVariant.Baseline(tokens)], padTokenId: 0);

        Assert.Equal(2, schedule.PrefillWork.Calls);
        Assert.Equal(2, schedule.Encodes); // the image is encoded again for every variant, as generate(images=…) does
        Assert.Equal((promptLength + 1) + (promptLength + tokens), schedule.PrefillWork.QueryTokens);
        Assert.Equal(schedule.PrefillWork.QueryTokens, schedule.PrefillWork.HeadRows);
        Assert.InRange(schedule.DecodeWork.Calls, 0, 2 * (ReferenceSchedule.DefaultNewTokens - 1));
        Assert.Equal(schedule.DecodeWork.Calls, schedule.DecodeWork.QueryTokens);
    }

    private static double MaxAbs(IReadOnlyList<float> expected, float[] actual) =>
        expected.Select((e, i) => Math.Abs((double)e - actual[i])).Max();
}
