using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Mining.Kernels.Imaging;
using Mining.Kernels.IO;

namespace Mining.Kernels.Tests.Imaging;

/// <summary>
/// A family's base view against its reference fixture: the bytes after RGB conversion, resize (and crop) bit-exact,
/// the pixel values from the fixture's bytes within 1e-6, for a square view of <paramref name="side"/> pixels.
/// </summary>
public abstract class ViewParityTests(string fixture, int side, ITestOutputHelper output)
{
    private int Side { get; } = side;

    public static TheoryData<string> Images => new("chelsea", "camera", "coffee84");

    protected PreprocessorConfig Config { get; } = PreprocessorConfig.Load(Path.Combine(fixture, "model", "preprocessor_config.json"));

    private ImagePreprocessor Preprocessor => new(Config);

    [Theory]
    [MemberData(nameof(Images))]
    public void Resized_and_cropped_bytes_are_bit_exact(string name)
    {
        var expected = NpyFile.Read(Path.Combine(fixture, "arrays", name + ".resized_uint8.npy"));
        var cropped = Preprocessor.Preprocess(ImageDecoder.Decode(Path.Combine(fixture, "images", name + ".png"))).Cropped;

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
        var uint8 = NpyFile.Read(Path.Combine(fixture, "arrays", name + ".resized_uint8.npy"));
        var expected = NpyFile.Read(Path.Combine(fixture, "arrays", name + ".pixel_values.npy"));

        var values = Preprocessor.Normalize(new RgbImage(Side, Side, uint8.Data));

        Assert.Equal([3, Side, Side], expected.Shape);
        var maxDiff = MaxAbsDifference(expected.ToFloat32(), values);
        output.WriteLine($"{name}: max |pixel value difference| = {maxDiff:E3}");
        Assert.True(maxDiff <= 1e-6, $"{name}: max difference {maxDiff} exceeds 1e-6");
    }

    private string ExpectedSha256(string name)
    {
        var expected = JsonNode.Parse(File.ReadAllText(Path.Combine(fixture, "expected.json")))!;
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
