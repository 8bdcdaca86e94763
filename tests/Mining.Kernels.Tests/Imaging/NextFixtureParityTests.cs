using Mining.Kernels.Imaging;

namespace Mining.Kernels.Tests.Imaging;

/// <summary>
/// LLaVA-NeXT's base view against llava-next-tiny-ref: its <c>LlavaNextImageProcessor</c> settings read as the LLaVA-1.5
/// crop view (shortest-edge resize, centre crop, CLIP mean/std; the anyres fields unused), upscaling coffee84 to 112.
/// </summary>
public sealed class NextFixtureParityTests(ITestOutputHelper output) : ViewParityTests(TestData.NextFixture, Side, output)
{
    private const int Side = 112;

    [Fact]
    public void The_next_processor_settings_are_the_crop_view_at_112()
    {
        Assert.Equal((Side, Side, Side), (Config.ShortestEdge, Config.CropHeight, Config.CropWidth));
        Assert.Null(Config.FixedSize);
        Assert.True(Config.DoResize && Config.DoCenterCrop && Config.DoRescale && Config.DoNormalize && Config.DoConvertRgb);
        Assert.Equal(ResampleFilter.Bicubic, Config.Filter);
        Assert.Equal(PreprocessorConfig.OpenAiClipMean, Config.ImageMean);
        Assert.Equal(PreprocessorConfig.OpenAiClipStd, Config.ImageStd);
    }
}
