using Mining.Kernels.Imaging;

namespace Mining.Kernels.Tests.Imaging;

public sealed class ImagePreprocessorTests
{
    private static readonly PreprocessorConfig Clip84 = new() { ShortestEdge = 84, CropHeight = 84, CropWidth = 84 };

    [Theory]
    [InlineData(300, 451, 84, 84, 126)]
    [InlineData(451, 300, 84, 126, 84)]
    [InlineData(512, 512, 84, 84, 84)]
    [InlineData(480, 640, 336, 336, 448)]
    [InlineData(3, 1000, 2, 2, 666)]
    public void Resized_size_keeps_the_aspect_and_truncates_the_long_edge(int height, int width, int shortest, int newHeight, int newWidth)
    {
        Assert.Equal((newHeight, newWidth), ImagePreprocessor.ResizedSize(height, width, shortest));
    }

    [Fact]
    public void A_tiny_image_is_cropped_and_normalised_as_computed_by_hand()
    {
        // 3 wide, 2 high; shortest edge 2 = height, so no resampling (long edge int(2*3/2) = 3).
        // Crop 2x2 takes columns (3-2)//2 = 0 and 1. Mean 0.5, std 0.25: (x/255 - 0.5) / 0.25.
        var image = new RgbImage(3, 2,
        [
            255, 0, 51, /**/ 0, 255, 102, /**/ 9, 9, 9,
            51, 102, 255, /**/ 255, 255, 0, /**/ 9, 9, 9,
        ]);
        var config = new PreprocessorConfig
        {
            ShortestEdge = 2, CropHeight = 2, CropWidth = 2, ImageMean = [0.5, 0.5, 0.5], ImageStd = [0.25, 0.25, 0.25],
        };

        var result = new ImagePreprocessor(config).Preprocess(image);

        Assert.Equal([255, 0, 51, 0, 255, 102, 51, 102, 255, 255, 255, 0], result.Cropped.Pixels);
        float[] expected =
        [
            2f, -2f, -1.2f, 2f, // R plane: 255, 0, 51, 255
            -2f, 2f, -0.4f, 2f, // G plane: 0, 255, 102, 255
            -1.2f, -0.4f, 2f, -2f, // B plane: 51, 102, 255, 0
        ];
        Assert.Equal((3, 2, 2), (result.Channels, result.Height, result.Width));
        Assert.Equal(expected.Length, result.PixelValues.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i], result.PixelValues[i], 1e-6f);
        }
    }

    [Fact]
    public void Center_crop_uses_floor_offsets()
    {
        // 5x5 image whose byte value encodes (y, x) as 10*y + x; crop 2x2 -> offset (5-2)//2 = 1.
        var pixels = new byte[5 * 5 * 3];
        for (var y = 0; y < 5; y++)
        {
            for (var x = 0; x < 5; x++)
            {
                pixels.AsSpan(((y * 5) + x) * 3, 3).Fill((byte)((10 * y) + x));
            }
        }

        var preprocessor = new ImagePreprocessor(Clip84 with { CropHeight = 2, CropWidth = 2 });

        var cropped = preprocessor.CenterCrop(new RgbImage(5, 5, pixels));

        Assert.Equal(new byte[] { 11, 12, 21, 22 }, cropped.Pixels.Where((_, i) => i % 3 == 0).ToArray());
    }

    [Fact]
    public void Center_crop_of_a_smaller_image_pads_with_zeros()
    {
        // HF center_crop: 3x3 into 4x4 puts the image at ceil((4-3)/2) = 1 in both directions.
        var image = RgbImage.Filled(3, 3, 10, 20, 30);
        var preprocessor = new ImagePreprocessor(Clip84 with { CropHeight = 4, CropWidth = 4 });

        var cropped = preprocessor.CenterCrop(image);

        Assert.Equal((4, 4), (cropped.Width, cropped.Height));
        for (var y = 0; y < 4; y++)
        {
            for (var x = 0; x < 4; x++)
            {
                var inside = y >= 1 && x >= 1;
                byte[] expected = inside ? [10, 20, 30] : [0, 0, 0];
                Assert.Equal(expected, cropped.Pixels.AsSpan(((y * 4) + x) * 3, 3).ToArray());
            }
        }
    }

    [Fact]
    public void Center_crop_pads_the_short_side_and_crops_the_long_one()
    {
        // 6 wide, 1 high into 2x2: columns (6-2)//2 = 2..3; the single row goes to ceil((2-1)/2) = 1.
        var pixels = Enumerable.Range(0, 6).SelectMany(x => new[] { (byte)x, (byte)x, (byte)x }).ToArray();
        var preprocessor = new ImagePreprocessor(Clip84 with { CropHeight = 2, CropWidth = 2 });

        var cropped = preprocessor.CenterCrop(new RgbImage(6, 1, pixels));

        Assert.Equal([0, 0, 0, 0, 0, 0, 2, 2, 2, 3, 3, 3], cropped.Pixels);
    }

    [Fact]
    public void Pad_to_square_centres_a_portrait_image_on_the_mean_colour()
    {
        // 2 wide, 4 high -> 4x4, pasted at ((4-2)//2, 0) = column 1. Fill = int(255 * CLIP mean) = (122, 116, 104).
        var image = RgbImage.Filled(2, 4, 1, 2, 3);
        var preprocessor = new ImagePreprocessor(Clip84);

        var padded = preprocessor.PadToSquare(image);

        Assert.Equal((4, 4), (padded.Width, padded.Height));
        for (var y = 0; y < 4; y++)
        {
            for (var x = 0; x < 4; x++)
            {
                byte[] expected = x is 1 or 2 ? [1, 2, 3] : [122, 116, 104];
                Assert.Equal(expected, padded.Pixels.AsSpan(((y * 4) + x) * 3, 3).ToArray());
            }
        }
    }

    [Fact]
    public void Pad_to_square_puts_a_landscape_image_at_the_floor_offset()
    {
        // 4 wide, 1 high -> 4x4 with the row at (4-1)//2 = 1.
        var image = RgbImage.Filled(4, 1, 7, 7, 7);

        var padded = new ImagePreprocessor(Clip84).PadToSquare(image);

        for (var y = 0; y < 4; y++)
        {
            byte expected = y == 1 ? (byte)7 : (byte)122;
            Assert.Equal(expected, padded.Pixels[y * 4 * 3]);
        }
    }

    [Fact]
    public void Pad_mode_pads_before_resizing_and_cropping()
    {
        // 2x4 padded to 4x4 is already at shortest edge 4 and crop 4x4, so no resampling happens and
        // the result is the padded image itself.
        var image = RgbImage.Filled(2, 4, 1, 2, 3);
        var config = Clip84 with { ShortestEdge = 4, CropHeight = 4, CropWidth = 4 };

        var padded = new ImagePreprocessor(config, ImageAspect.Pad).Preprocess(image).Cropped;
        var cropped = new ImagePreprocessor(config, ImageAspect.Crop).Preprocess(image).Cropped;

        Assert.Equal([122, 116, 104, 1, 2, 3, 1, 2, 3, 122, 116, 104], padded.Pixels.Take(12).ToArray());

        // Crop mode resizes 2x4 to 4x8 and crops rows 2..5: no mean colour anywhere.
        Assert.DoesNotContain(Enumerable.Range(0, 16), i => cropped.Pixels[i * 3] == 122);
    }

    [Fact]
    public void An_image_already_at_the_target_size_passes_through_unchanged()
    {
        var pixels = new byte[84 * 84 * 3];
        new Random(7).NextBytes(pixels);
        var image = new RgbImage(84, 84, pixels);

        var result = new ImagePreprocessor(Clip84).Preprocess(image);

        Assert.Equal(pixels, result.Cropped.Pixels);
    }

    [Fact]
    public void Rescale_and_normalise_can_be_switched_off()
    {
        var image = RgbImage.Filled(1, 1, 255, 128, 0);
        var config = Clip84 with { ShortestEdge = 1, CropHeight = 1, CropWidth = 1 };

        Assert.Equal([255f, 128f, 0f], new ImagePreprocessor(config with { DoRescale = false, DoNormalize = false }).Normalize(image));
        Assert.Equal([1f, 128 / 255f, 0f], new ImagePreprocessor(config with { DoNormalize = false }).Normalize(image));
    }

    [Fact]
    public void An_unsupported_resample_filter_is_rejected_with_its_number()
    {
        var error = Assert.Throws<NotSupportedException>(() => new ImagePreprocessor(Clip84 with { Resample = 1 }));
        Assert.Contains("resample 1", error.Message);
    }
}
