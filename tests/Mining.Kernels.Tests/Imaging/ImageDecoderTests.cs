using Mining.Kernels.Imaging;

namespace Mining.Kernels.Tests.Imaging;

public sealed class ImageDecoderTests
{
    [Theory]
    [InlineData("astronaut.png")]
    [InlineData("brick.png")]
    [InlineData("camera.png")]
    [InlineData("chelsea.png")]
    [InlineData("coffee.png")]
    [InlineData("coins.png")]
    [InlineData("grass.png")]
    [InlineData("gravel.png")]
    [InlineData("hubble_deep_field.jpg")]
    [InlineData("retina.jpg")]
    [InlineData("rocket.jpg")]
    public void Every_sample_image_decodes(string file)
    {
        var image = ImageDecoder.Decode(Path.Combine(TestData.Samples, file));

        Assert.True(image.Width > 0 && image.Height > 0);
        Assert.Equal((long)image.Width * image.Height * 3, image.Pixels.LongLength);
    }

    [Fact]
    public void The_fixture_images_decode_at_their_documented_sizes()
    {
        Assert.Equal((451, 300), Size(ImageDecoder.Decode(TestData.FixtureImage("chelsea.png"))));
        Assert.Equal((512, 512), Size(ImageDecoder.Decode(TestData.FixtureImage("camera.png"))));
        Assert.Equal((84, 84), Size(ImageDecoder.Decode(TestData.FixtureImage("coffee84.png"))));
    }

    [Fact]
    public void A_grayscale_image_becomes_rgb_with_three_equal_channels()
    {
        var image = ImageDecoder.Decode(TestData.FixtureImage("camera.png"));

        for (var i = 0; i < image.Pixels.Length; i += 3)
        {
            Assert.Equal(image.Pixels[i], image.Pixels[i + 1]);
            Assert.Equal(image.Pixels[i], image.Pixels[i + 2]);
        }

        Assert.True(image.Pixels.Distinct().Count() > 100, "the grey levels should vary");
    }

    [Fact]
    public void A_palette_image_becomes_the_rgb_of_its_palette_entries()
    {
        byte[] palette = [10, 20, 30, 200, 100, 50];
        var png = TestPng.Palette(3, 1, palette, [1, 0, 1]);

        var image = ImageDecoder.Decode(png, "palette.png");

        Assert.Equal([200, 100, 50, 10, 20, 30, 200, 100, 50], image.Pixels);
    }

    [Fact]
    public void Alpha_is_dropped_without_compositing()
    {
        // PIL's RGBA -> RGB conversion copies the colour channels and ignores alpha.
        byte[] rgba = [200, 100, 50, 0, /**/ 17, 34, 51, 128, /**/ 1, 2, 3, 255];
        var png = TestPng.Rgba(3, 1, rgba);

        var image = ImageDecoder.Decode(png, "rgba.png");

        Assert.Equal([200, 100, 50, 17, 34, 51, 1, 2, 3], image.Pixels);
    }

    [Fact]
    public void A_missing_file_raises_an_error_naming_it()
    {
        var path = Path.Combine(TestData.NewTempFolder(), "absent.png");

        var error = Assert.Throws<ImageDecodeException>(() => ImageDecoder.Decode(path));

        Assert.Contains(path, error.Message);
        Assert.Contains("not found", error.Message);
    }

    [Fact]
    public void An_empty_file_raises_an_error_naming_it()
    {
        var path = Path.Combine(TestData.NewTempFolder(), "empty.png");
        File.WriteAllBytes(path, []);

        var error = Assert.Throws<ImageDecodeException>(() => ImageDecoder.Decode(path));

        Assert.Contains(path, error.Message);
        Assert.Contains("empty", error.Message);
    }

    [Fact]
    public void A_non_image_file_raises_an_error_naming_it()
    {
        var path = Path.Combine(TestData.NewTempFolder(), "notes.jpg");
        File.WriteAllText(path, "this is not an image, whatever its name says");

        var error = Assert.Throws<ImageDecodeException>(() => ImageDecoder.Decode(path));

        Assert.Contains(path, error.Message);
        Assert.Contains("not a recognised image format", error.Message);
    }

    [Fact]
    public void A_truncated_png_raises_an_error_naming_it()
    {
        var bytes = File.ReadAllBytes(TestData.FixtureImage("chelsea.png"));
        var path = Path.Combine(TestData.NewTempFolder(), "truncated.png");
        File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);

        var error = Assert.Throws<ImageDecodeException>(() => ImageDecoder.Decode(path));

        Assert.Contains(path, error.Message);
        Assert.Contains("truncated", error.Message);
    }

    [Fact]
    public void A_truncated_jpeg_raises_an_error_naming_it()
    {
        var bytes = File.ReadAllBytes(Path.Combine(TestData.Samples, "rocket.jpg"));
        var path = Path.Combine(TestData.NewTempFolder(), "truncated.jpg");
        File.WriteAllBytes(path, bytes[..(bytes.Length / 3)]);

        var error = Assert.Throws<ImageDecodeException>(() => ImageDecoder.Decode(path));

        Assert.Contains(path, error.Message);
    }

    [Fact]
    public void A_png_signature_followed_by_garbage_raises_an_error_naming_it()
    {
        byte[] bytes = [137, 80, 78, 71, 13, 10, 26, 10, .. Enumerable.Range(0, 200).Select(i => (byte)(i * 37))];

        var error = Assert.Throws<ImageDecodeException>(() => ImageDecoder.Decode(bytes, "corrupt.png"));

        Assert.Contains("corrupt.png", error.Message);
    }

    private static (int Width, int Height) Size(RgbImage image) => (image.Width, image.Height);
}
