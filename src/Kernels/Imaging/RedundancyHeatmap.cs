using System.Runtime.InteropServices;
using Mining.Kernels.IO;
using SkiaSharp;

namespace Mining.Kernels.Imaging;

/// <summary>Draws a preprocessed image with its visual-token grid shaded by a redundancy score and redundant tokens outlined, as a PNG.</summary>
public static class RedundancyHeatmap
{
    // Shading opacity: enough to read the ramp while the image stays visible underneath.
    private const byte ShadeAlpha = 115;

    // Magenta is not on the blue→yellow→red ramp, so an outline never blends into a cell's shade.
    private static readonly SKColor OutlineColor = new(255, 0, 255);

    // Cyan, also off the ramp: marks measurements taken after a skipped leading token.
    private static readonly SKColor SkipColor = new(0, 255, 255);

    /// <summary>Renders <paramref name="cropped"/> upscaled by <paramref name="scale"/> with a <paramref name="grid"/>×<paramref name="grid"/> token overlay and writes it to <paramref name="outPngPath"/>.</summary>
    /// <param name="cropped">The image the vision tower saw (<see cref="PreprocessedImage.Cropped"/>).</param>
    /// <param name="grid">Tokens per side (LLaVA-1.5: 24; the fixture model: 6).</param>
    /// <param name="scores">One score per token in raster order, in [0, 1], higher = more redundant (values outside are clamped);
    /// <see cref="double.NaN"/> marks a token that was not evaluated and is drawn unshaded. The ramp runs blue (0) → yellow (0.5) → red (1).</param>
    /// <param name="redundant">One flag per token in raster order; flagged tokens get an outline.</param>
    /// <param name="outPngPath">Where the PNG goes; its folder must exist. The PNG is Width·scale × Height·scale pixels.</param>
    /// <param name="scale">Integer upscaling factor (nearest neighbour, so every source pixel stays a crisp block).</param>
    /// <param name="legend">When given, the PNG also has a title band above the image (image, model) and a legend below it: the
    /// colour bar of the score, what the tint and the outline mean, and the thresholds. Without it the PNG is the image alone.</param>
    /// <param name="leadSkipped">Optional flag per token in raster order: some variant of the token was measured after a skipped
    /// leading token (MODELS.md, "The measured logits"); flagged tokens get a cyan triangle in their top-left corner.</param>
    /// <param name="baselineLeadSkipped">The baseline was measured after a skipped leading token: the whole image gets a cyan frame.</param>
    public static void Render(RgbImage cropped, int grid, IReadOnlyList<double> scores, IReadOnlyList<bool> redundant, string outPngPath, int scale = 4, IReadOnlyList<bool>? leadSkipped = null, bool baselineLeadSkipped = false, HeatmapLegend? legend = null)
    {
        ArgumentNullException.ThrowIfNull(cropped);
        ArgumentNullException.ThrowIfNull(scores);
        ArgumentNullException.ThrowIfNull(redundant);
        ArgumentNullException.ThrowIfNull(outPngPath);
        if (grid <= 0 || grid > Math.Min(cropped.Width, cropped.Height))
        {
            throw new ArgumentOutOfRangeException(nameof(grid), grid, $"must be between 1 and the image's shorter side ({Math.Min(cropped.Width, cropped.Height)})");
        }

        if (scale <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(scale), scale, "must be positive");
        }

        var tokens = grid * grid;
        if (scores.Count != tokens)
        {
            throw new ArgumentException($"expected {tokens} scores for a {grid}x{grid} grid, got {scores.Count}", nameof(scores));
        }

        if (redundant.Count != tokens)
        {
            throw new ArgumentException($"expected {tokens} redundancy flags for a {grid}x{grid} grid, got {redundant.Count}", nameof(redundant));
        }

        if (leadSkipped is not null && leadSkipped.Count != tokens)
        {
            throw new ArgumentException($"expected {tokens} lead-skip flags for a {grid}x{grid} grid, got {leadSkipped.Count}", nameof(leadSkipped));
        }

        var width = checked(cropped.Width * scale);
        var height = checked(cropped.Height * scale);
        var layout = HeatmapLayout.For(width, height, legend is not null);
        using var surface = SKSurface.Create(new SKImageInfo(layout.Width, layout.Height, SKColorType.Rgba8888, SKAlphaType.Premul))
            ?? throw new InvalidOperationException($"Skia could not allocate a {layout.Width}x{layout.Height} surface");
        var canvas = surface.Canvas;
        canvas.Clear(SKColors.White);
        canvas.Translate(layout.ImageLeft, layout.ImageTop);
        using (var source = ToSkImage(cropped))
        {
            canvas.DrawImage(source, new SKRect(0, 0, width, height), new SKSamplingOptions(SKFilterMode.Nearest));
        }

        var outlineWidth = Math.Max(2, scale / 2);
        using var shade = new SKPaint { Style = SKPaintStyle.Fill, IsAntialias = false };
        using var outline = new SKPaint { Style = SKPaintStyle.Stroke, IsAntialias = false, Color = OutlineColor, StrokeWidth = outlineWidth };
        using var skipMark = new SKPaint { Style = SKPaintStyle.Fill, IsAntialias = false, Color = SkipColor };
        for (var row = 0; row < grid; row++)
        {
            for (var column = 0; column < grid; column++)
            {
                var token = (row * grid) + column;
                var cell = CellRect(row, column, grid, width, height);
                var score = scores[token];
                if (!double.IsNaN(score))
                {
                    shade.Color = Ramp(score).WithAlpha(ShadeAlpha);
                    canvas.DrawRect(cell, shade);
                }

                if (redundant[token])
                {
                    // Inset by half the stroke so the whole outline lies inside its own cell.
                    var inset = outlineWidth / 2f;
                    canvas.DrawRect(new SKRect(cell.Left + inset, cell.Top + inset, cell.Right - inset, cell.Bottom - inset), outline);
                }

                if (leadSkipped?[token] == true)
                {
                    var side = Math.Max(3f, Math.Min(cell.Width, cell.Height) / 3f);
                    using var triangle = new SKPath();
                    triangle.MoveTo(cell.Left, cell.Top);
                    triangle.LineTo(cell.Left + side, cell.Top);
                    triangle.LineTo(cell.Left, cell.Top + side);
                    triangle.Close();
                    canvas.DrawPath(triangle, skipMark);
                }
            }
        }

        if (baselineLeadSkipped)
        {
            using var frame = new SKPaint { Style = SKPaintStyle.Stroke, IsAntialias = false, Color = SkipColor, StrokeWidth = outlineWidth };
            var inset = outlineWidth / 2f;
            canvas.DrawRect(new SKRect(inset, inset, width - inset, height - inset), frame);
        }

        canvas.ResetMatrix();
        if (legend is not null)
        {
            HeatmapLayout.DrawTitleAndLegend(canvas, layout, legend, OutlineColor, outlineWidth, SkipColor);
        }

        using var snapshot = surface.Snapshot();
        using var png = snapshot.Encode(SKEncodedImageFormat.Png, 100)
            ?? throw new InvalidOperationException("Skia could not encode the heatmap as PNG");
        try
        {
            OutputFile.WriteAtomically(outPngPath, png.SaveTo);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new IOException($"{outPngPath}: cannot write heatmap PNG: {e.Message}", e);
        }
    }

    /// <summary>Blue (0) → yellow (0.5) → red (1); scores outside [0, 1] are clamped.</summary>
    public static SKColor Ramp(double score)
    {
        var t = Math.Clamp(score, 0.0, 1.0);
        return t < 0.5
            ? new SKColor(Channel(2 * t), Channel(2 * t), Channel(1 - (2 * t)))
            : new SKColor(255, Channel(2 - (2 * t)), 0);
    }

    private static byte Channel(double fraction) => (byte)Math.Round(255 * fraction);

    // Cell edges on the upscaled canvas; integer division spreads any remainder over the cells.
    private static SKRect CellRect(int row, int column, int grid, int width, int height) =>
        new(column * width / grid, row * height / grid, (column + 1) * width / grid, (row + 1) * height / grid);

    private static SKImage ToSkImage(RgbImage image)
    {
        var rgba = new byte[checked(image.Width * image.Height * 4)];
        for (int src = 0, dst = 0; src < image.Pixels.Length; src += 3, dst += 4)
        {
            rgba[dst] = image.Pixels[src];
            rgba[dst + 1] = image.Pixels[src + 1];
            rgba[dst + 2] = image.Pixels[src + 2];
            rgba[dst + 3] = 255;
        }

        var info = new SKImageInfo(image.Width, image.Height, SKColorType.Rgba8888, SKAlphaType.Opaque);
        var handle = GCHandle.Alloc(rgba, GCHandleType.Pinned);
        try
        {
            using var pixmap = new SKPixmap(info, handle.AddrOfPinnedObject(), info.RowBytes);

            // Copy out of the pinned buffer so the image outlives the handle.
            return SKImage.FromPixelCopy(pixmap) ?? throw new InvalidOperationException("Skia could not wrap the image pixels");
        }
        finally
        {
            handle.Free();
        }
    }
}
