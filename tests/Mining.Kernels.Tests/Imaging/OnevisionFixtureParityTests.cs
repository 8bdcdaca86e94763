using Mining.Kernels.Imaging;

namespace Mining.Kernels.Tests.Imaging;

/// <summary>
/// LLaVA-OneVision's single view against llava-ov-tiny-ref: <c>LlavaOnevisionImageProcessor</c>'s {height, width} size is
/// a squash to 84×84 (no crop, no pad; chelsea 451×300 loses its aspect, coffee84 is the identity), mean and std 0.5.
/// </summary>
public sealed class OnevisionFixtureParityTests(ITestOutputHelper output) : ViewParityTests(TestData.OnevisionFixture, Side, output)
{
    private const int Side = 84;

    [Fact]
    public void The_onevision_processor_settings_are_the_squash_view_at_84()
    {
        Assert.Equal((Side, Side), Config.FixedSize);
        Assert.False(Config.DoCenterCrop);
        Assert.True(Config.DoResize && Config.DoRescale && Config.DoNormalize && Config.DoConvertRgb);
        Assert.Equal(ResampleFilter.Bicubic, Config.Filter);
        Assert.Equal([0.5, 0.5, 0.5], Config.ImageMean);
        Assert.Equal([0.5, 0.5, 0.5], Config.ImageStd);
    }

    [Fact]
    public void A_fixed_size_config_round_trips_through_json()
    {
        var again = PreprocessorConfig.Parse(Config.ToJson(), "round trip");
        Assert.Equal(Config.FixedSize, again.FixedSize);
        Assert.False(again.DoCenterCrop);
        Assert.Equal(Config.ImageMean, again.ImageMean);
    }
}
