using Mining.Kernels.Imaging;

namespace Mining.Kernels.Tests.Imaging;

public sealed class PillowResamplerTests(ITestOutputHelper output)
{
    [Fact]
    public void A_portrait_image_differs_from_a_plain_float_resampler_by_at_most_one_level()
    {
        var landscape = ImageDecoder.Decode(TestData.FixtureImage("chelsea.png"));
        var portrait = Transpose(landscape);
        Assert.Equal((300, 451), (portrait.Width, portrait.Height));

        var resized = PillowResampler.Resize(portrait, 84, 126, ResampleFilter.Bicubic);
        var reference = PlainBicubicResampler.Resize(portrait.Pixels, portrait.Width, portrait.Height, 84, 126);

        var maxDiff = 0;
        var equal = 0;
        for (var i = 0; i < reference.Length; i++)
        {
            var diff = Math.Abs(resized.Pixels[i] - reference[i]);
            maxDiff = Math.Max(maxDiff, diff);
            equal += diff == 0 ? 1 : 0;
        }

        output.WriteLine($"portrait 300x451 -> 84x126: max diff {maxDiff}, {reference.Length - equal} of {reference.Length} values differ");
        Assert.True(maxDiff <= 1, $"max difference {maxDiff} levels");
        Assert.True(equal >= reference.Length * 0.99, $"only {equal} of {reference.Length} values are equal");
    }

    [Fact]
    public void An_upscale_differs_from_a_plain_float_resampler_by_at_most_one_level()
    {
        var small = ImageDecoder.Decode(TestData.FixtureImage("coffee84.png"));
        var resized = PillowResampler.Resize(small, 131, 97, ResampleFilter.Bicubic);
        var reference = PlainBicubicResampler.Resize(small.Pixels, 84, 84, 131, 97);

        var diffs = resized.Pixels.Zip(reference, (a, b) => Math.Abs(a - b)).ToArray();
        output.WriteLine($"84x84 -> 131x97: max diff {diffs.Max()}, {diffs.Count(d => d != 0)} of {diffs.Length} values differ");
        Assert.True(diffs.Max() <= 1);
        Assert.True(diffs.Count(d => d == 0) >= diffs.Length * 0.99);
    }

    [Fact]
    public void An_image_already_at_the_target_size_is_returned_unchanged()
    {
        var image = RandomImage(84, 84, seed: 1);

        var resized = PillowResampler.Resize(image, 84, 84, ResampleFilter.Bicubic);

        Assert.Equal(image.Pixels, resized.Pixels);
        Assert.NotSame(image.Pixels, resized.Pixels);
    }

    [Fact]
    public void A_uniform_image_stays_uniform_after_resizing()
    {
        var image = RgbImage.Filled(7, 5, 200, 13, 77);

        var resized = PillowResampler.Resize(image, 3, 2, ResampleFilter.Bicubic);

        Assert.Equal(RgbImage.Filled(3, 2, 200, 13, 77).Pixels, resized.Pixels);
    }

    [Fact]
    public void Resizing_only_the_width_leaves_each_row_independent()
    {
        // With the height unchanged Pillow skips the vertical pass, so each output row depends on
        // its own input row only: rows of a single colour stay that colour.
        var pixels = new byte[10 * 4 * 3];
        for (var y = 0; y < 4; y++)
        {
            pixels.AsSpan(y * 30, 30).Fill((byte)(y * 60));
        }

        var resized = PillowResampler.Resize(new RgbImage(10, 4, pixels), 3, 4, ResampleFilter.Bicubic);

        for (var y = 0; y < 4; y++)
        {
            Assert.All(resized.Pixels.Skip(y * 9).Take(9), v => Assert.Equal(y * 60, v));
        }
    }

    [Fact]
    public void Downscaling_four_pixels_to_two_uses_the_hand_computed_bicubic_weights()
    {
        // 4 -> 2: scale 2, support 4. Output 0 has centre 1.0 and reads source pixels 0..3 at kernel
        // arguments (x + 0.5 - 1) / 2 = -0.25, 0.25, 0.75, 1.25: weights 0.8671875, 0.8671875, 0.2265625,
        // -0.0703125, sum 1.890625. Output 1 (centre 3.0) has the mirrored weights. Source 255, 0, 0, 0:
        // output 0 = 255 * 0.8671875 / 1.890625 = 116.96 -> 117; output 1 = 255 * -0.0703125 / 1.890625 < 0 -> 0.
        var image = new RgbImage(4, 1, [255, 255, 255, 0, 0, 0, 0, 0, 0, 0, 0, 0]);

        var resized = PillowResampler.Resize(image, 2, 1, ResampleFilter.Bicubic);

        Assert.Equal(117, resized.Pixels[0]);
        Assert.Equal(0, resized.Pixels[3]);
    }

    private static RgbImage Transpose(RgbImage image)
    {
        var pixels = new byte[image.Pixels.Length];
        for (var y = 0; y < image.Height; y++)
        {
            for (var x = 0; x < image.Width; x++)
            {
                for (var c = 0; c < 3; c++)
                {
                    pixels[((x * image.Height) + y) * 3 + c] = image.Pixels[((y * image.Width) + x) * 3 + c];
                }
            }
        }

        return new RgbImage(image.Height, image.Width, pixels);
    }

    private static RgbImage RandomImage(int width, int height, int seed)
    {
        var pixels = new byte[width * height * 3];
        new Random(seed).NextBytes(pixels);
        return new RgbImage(width, height, pixels);
    }
}
