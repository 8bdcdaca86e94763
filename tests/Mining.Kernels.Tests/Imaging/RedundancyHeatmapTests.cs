using Mining.Kernels.Imaging;

namespace Mining.Kernels.Tests.Imaging;

public sealed class RedundancyHeatmapTests
{
    private static readonly RgbImage Gray = RgbImage.Filled(84, 84, 128, 128, 128);

    [Fact]
    public void The_heatmap_is_a_png_of_the_upscaled_size()
    {
        var path = Path.Combine(TestData.NewTempFolder(), "heatmap.png");

        RedundancyHeatmap.Render(Gray, 6, Enumerable.Repeat(0.3, 36).ToArray(), new bool[36], path, scale: 4);

        var bytes = File.ReadAllBytes(path);
        Assert.Equal(new byte[] { 137, 80, 78, 71, 13, 10, 26, 10 }, bytes[..8]);
        var image = ImageDecoder.Decode(path);
        Assert.Equal((336, 336), (image.Width, image.Height));
    }

    [Fact]
    public void A_redundant_cell_has_an_outline_that_a_non_redundant_cell_lacks()
    {
        // Cells are 56 px on the 336 px canvas; token 0 is redundant, token 1 (its right neighbour) is not.
        var redundant = new bool[36];
        redundant[0] = true;
        var image = Render(Gray, Enumerable.Repeat(0.5, 36).ToArray(), redundant);

        Assert.NotEqual(Pixel(image, 0, 28), Pixel(image, 56, 28));
        Assert.NotEqual(Pixel(image, 28, 0), Pixel(image, 84, 0));

        // Same score, so the interiors are shaded alike.
        Assert.Equal(Pixel(image, 28, 28), Pixel(image, 84, 28));
    }

    [Fact]
    public void Higher_scores_shade_differently_and_nan_cells_stay_unshaded()
    {
        var scores = Enumerable.Repeat(0.0, 36).ToArray();
        scores[1] = 1.0;
        scores[2] = double.NaN;
        var image = Render(Gray, scores, new bool[36]);

        Assert.NotEqual(Pixel(image, 28, 28), Pixel(image, 84, 28));
        Assert.Equal((128, 128, 128), Pixel(image, 140, 28));
    }

    [Fact]
    public void The_image_is_upscaled_pixel_for_pixel()
    {
        var pixels = new byte[84 * 84 * 3];
        pixels[0] = 255; // pixel (0, 0) red, the rest black
        var scores = Enumerable.Repeat(double.NaN, 36).ToArray();

        var image = Render(new RgbImage(84, 84, pixels), scores, new bool[36]);

        Assert.Equal((255, 0, 0), Pixel(image, 3, 3));
        Assert.Equal((0, 0, 0), Pixel(image, 4, 4));
    }

    [Fact]
    public void An_unwritable_path_raises_an_error_naming_it()
    {
        var folder = TestData.NewTempFolder();
        var blocker = Path.Combine(folder, "a-file");
        File.WriteAllText(blocker, "not a folder");
        var path = Path.Combine(blocker, "heatmap.png");

        var error = Assert.Throws<IOException>(() => RedundancyHeatmap.Render(Gray, 6, new double[36], new bool[36], path));

        Assert.Contains(path, error.Message);
    }

    [Fact]
    public void A_score_count_that_does_not_fill_the_grid_is_rejected()
    {
        var path = Path.Combine(TestData.NewTempFolder(), "heatmap.png");

        var error = Assert.Throws<ArgumentException>(() => RedundancyHeatmap.Render(Gray, 6, new double[35], new bool[36], path));

        Assert.Contains("36 scores", error.Message);
        Assert.False(File.Exists(path));
    }

    [Fact]
    public void With_a_legend_the_image_sits_between_a_title_band_and_a_legend_with_the_colour_bar()
    {
        var path = Path.Combine(TestData.NewTempFolder(), "heatmap.png");
        var scores = Enumerable.Repeat(0.5, 36).ToArray();

        RedundancyHeatmap.Render(Gray, 6, scores, new bool[36], path, scale: 4, legend: new HeatmapLegend("gray.png", "tiny-model", "top1_thres 0.2, jsd_thres 0.1"));

        var image = ImageDecoder.Decode(path);
        Assert.Equal(640, image.Width); // widened to fit the legend text; the 336 px image is centred
        Assert.True(image.Height > 336 + 100, $"height {image.Height}");
        Assert.Equal((255, 255, 255), Pixel(image, 5, 50)); // title band: white background
        Assert.True(Enumerable.Range(0, 640).Any(x => Pixel(image, x, 12) != (255, 255, 255)), "the title is drawn");

        // The image's top-left cell, at its centred offset below the 56 px title band, is tinted as without a legend.
        var plain = Render(Gray, scores, new bool[36]);
        Assert.Equal(Pixel(plain, 10, 10), Pixel(image, 152 + 10, 56 + 10));

        // The colour bar runs blue (score 0, left) to red (score 1, right), 32 px below the image.
        var barY = 56 + 336 + 12 + 20 + 9;
        var left = Pixel(image, 14, barY);
        var right = Pixel(image, 640 - 14, barY);
        Assert.True(left.B > 200 && left.R < 50, $"left end {left}");
        Assert.True(right.R > 200 && right.B < 50, $"right end {right}");
    }

    private static RgbImage Render(RgbImage image, double[] scores, bool[] redundant)
    {
        var path = Path.Combine(TestData.NewTempFolder(), "heatmap.png");
        RedundancyHeatmap.Render(image, 6, scores, redundant, path, scale: 4);
        return ImageDecoder.Decode(path);
    }

    private static (int R, int G, int B) Pixel(RgbImage image, int x, int y)
    {
        var i = ((y * image.Width) + x) * 3;
        return (image.Pixels[i], image.Pixels[i + 1], image.Pixels[i + 2]);
    }
}
