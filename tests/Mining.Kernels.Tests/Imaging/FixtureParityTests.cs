using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Mining.Kernels.Imaging;
using Mining.Kernels.IO;

namespace Mining.Kernels.Tests.Imaging;

/// <summary>Decode → resize → crop → normalise against the llava-tiny-ref fixture (HF CLIPImageProcessor on PIL).</summary>
public sealed class FixtureParityTests(ITestOutputHelper output)
{
    private static readonly ImagePreprocessor Preprocessor =
        new(PreprocessorConfig.Load(Path.Combine(TestData.FixtureModel, "preprocessor_config.json")));

    [Theory]
    [InlineData("chelsea")]
    [InlineData("camera")]
    [InlineData("coffee84")]
    public void Resized_and_cropped_bytes_have_the_fixture_sha256(string name)
    {
        var cropped = Preprocessor.Preprocess(ImageDecoder.Decode(TestData.FixtureImage(name + ".png"))).Cropped;

        var sha = Convert.ToHexStringLower(SHA256.HashData(cropped.Pixels));
        Assert.Equal(ExpectedSha256(name), sha);
    }

    [Theory]
    [InlineData("chelsea")]
    [InlineData("camera")]
    [InlineData("coffee84")]
    public void Resized_and_cropped_bytes_equal_the_fixture_array(string name)
    {
        var expected = NpyFile.Read(TestData.FixtureArray(name + ".resized_uint8.npy"));
        var cropped = Preprocessor.Preprocess(ImageDecoder.Decode(TestData.FixtureImage(name + ".png"))).Cropped;

        Assert.Equal([84, 84, 3], expected.Shape);
        Assert.Equal((cropped.Height, cropped.Width), (84, 84));
        var differing = expected.Data.Zip(cropped.Pixels).Count(pair => pair.First != pair.Second);
        output.WriteLine($"{name}: {differing} of {expected.Data.Length} bytes differ");
        Assert.Equal(expected.Data, cropped.Pixels);
    }

    [Theory]
    [InlineData("chelsea")]
    [InlineData("camera")]
    [InlineData("coffee84")]
    public void Pixel_values_from_the_fixture_uint8_match_within_1e6(string name)
    {
        var uint8 = NpyFile.Read(TestData.FixtureArray(name + ".resized_uint8.npy"));
        var expected = NpyFile.Read(TestData.FixtureArray(name + ".pixel_values.npy"));

        var values = Preprocessor.Normalize(new RgbImage(84, 84, uint8.Data));

        Assert.Equal([3, 84, 84], expected.Shape);
        var maxDiff = MaxAbsDifference(expected.ToFloat32(), values);
        output.WriteLine($"{name}: max |pixel value difference| = {maxDiff:E3}");
        Assert.True(maxDiff <= 1e-6, $"{name}: max difference {maxDiff} exceeds 1e-6");
    }

    [Theory]
    [InlineData("chelsea")]
    [InlineData("camera")]
    [InlineData("coffee84")]
    public void Preprocess_output_has_chw_dims_and_matches_the_fixture_pixel_values(string name)
    {
        var expected = NpyFile.Read(TestData.FixtureArray(name + ".pixel_values.npy")).ToFloat32();

        var result = Preprocessor.Preprocess(ImageDecoder.Decode(TestData.FixtureImage(name + ".png")));

        Assert.Equal((3, 84, 84), (result.Channels, result.Height, result.Width));
        var maxDiff = MaxAbsDifference(expected, result.PixelValues);
        output.WriteLine($"{name}: max |pixel value difference| through the whole chain = {maxDiff:E3}");
        Assert.True(maxDiff <= 1e-6, $"{name}: max difference {maxDiff} exceeds 1e-6");
    }

    private static string ExpectedSha256(string name)
    {
        var expected = JsonNode.Parse(File.ReadAllText(Path.Combine(TestData.Fixture, "expected.json")))!;
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
