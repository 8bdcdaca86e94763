using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Mining.Kernels.Imaging;
using Mining.Kernels.IO;

namespace Mining.Kernels.Tests.Imaging;

/// <summary>
/// LLaVA-NeXT's base view against llava-next-tiny-ref: its <c>LlavaNextImageProcessor</c> settings read as the LLaVA-1.5
/// crop view (shortest-edge resize, centre crop, CLIP mean/std; the anyres fields unused), upscaling coffee84 to 112.
/// </summary>
public sealed class NextFixtureParityTests(ITestOutputHelper output)
{
    private const int Side = 112;

    private static readonly ImagePreprocessor Preprocessor =
        new(PreprocessorConfig.Load(Path.Combine(TestData.NextFixtureModel, "preprocessor_config.json")));

    public static TheoryData<string> Images => new("chelsea", "camera", "coffee84");

    [Fact]
    public void The_next_processor_settings_are_the_crop_view_at_112()
    {
        var config = PreprocessorConfig.Load(Path.Combine(TestData.NextFixtureModel, "preprocessor_config.json"));
        Assert.Equal((Side, Side, Side), (config.ShortestEdge, config.CropHeight, config.CropWidth));
        Assert.True(config.DoResize && config.DoCenterCrop && config.DoRescale && config.DoNormalize && config.DoConvertRgb);
        Assert.Equal(ResampleFilter.Bicubic, config.Filter);
        Assert.Equal(PreprocessorConfig.OpenAiClipMean, config.ImageMean);
        Assert.Equal(PreprocessorConfig.OpenAiClipStd, config.ImageStd);
    }

    [Theory]
    [MemberData(nameof(Images))]
    public void Resized_and_cropped_bytes_are_bit_exact(string name)
    {
        var expected = NpyFile.Read(TestData.NextFixtureArray(name + ".resized_uint8.npy"));
        var cropped = Preprocessor.Preprocess(ImageDecoder.Decode(TestData.NextFixtureImage(name + ".png"))).Cropped;

        Assert.Equal([Side, Side, 3], expected.Shape);
        Assert.Equal((cropped.Height, cropped.Width), (Side, Side));
        var differing = expected.Data.Zip(cropped.Pixels).Count(pair => pair.First != pair.Second);
        output.WriteLine($"{name}: {differing} of {expected.Data.Length} bytes differ");
        Assert.Equal(expected.Data, cropped.Pixels);
        Assert.Equal(ExpectedSha256(name), Convert.ToHexStringLower(SHA256.HashData(cropped.Pixels)));
    }

    [Theory]
    [MemberData(nameof(Images))]
    public void Pixel_values_from_the_fixture_uint8_match_within_1e6(string name)
    {
        var uint8 = NpyFile.Read(TestData.NextFixtureArray(name + ".resized_uint8.npy"));
        var expected = NpyFile.Read(TestData.NextFixtureArray(name + ".pixel_values.npy"));

        var values = Preprocessor.Normalize(new RgbImage(Side, Side, uint8.Data));

        Assert.Equal([3, Side, Side], expected.Shape);
        var maxDiff = MaxAbsDifference(expected.ToFloat32(), values);
        output.WriteLine($"{name}: max |pixel value difference| = {maxDiff:E3}");
        Assert.True(maxDiff <= 1e-6, $"{name}: max difference {maxDiff} exceeds 1e-6");
    }

    private static string ExpectedSha256(string name)
    {
        var expected = JsonNode.Parse(File.ReadAllText(Path.Combine(TestData.NextFixture, "expected.json")))!;
        var image = expected["images"]!.AsArray().Single(i => (string?)i!["name"] == name)!;
        return (string)image["resized_uint8_sha256"]!;
    }

    private static double MaxAbsDifference(float[] expected, float[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        var max = 0.0;
        for (var i = 0; i < expected.Length; i++)
        {
            max = Math.Max(max, Math.Abs((double)expected[i] - actual[i]));
        }

        return max;
    }
}
