using SkiaSharp;

namespace Mining.Kernels.Imaging;

/// <summary>
/// Where a redundancy heat map's parts go: a title band (image, model) above the image, and below it a colour bar of
/// the score from 0 to 1, the key to tint and outline, and the thresholds. Without a legend the image fills the PNG.
/// </summary>
internal sealed record HeatmapLayout(int Width, int Height, int ImageLeft, int ImageTop, int ImageWidth, int ImageHeight)
{
    private const int MinimumWidth = 640;
    private const int TitleHeight = 56;
    private const int LegendHeight = 150;
    private const int Margin = 12;
    private const float TextSize = 15;

    public static HeatmapLayout For(int imageWidth, int imageHeight, bool withLegend)
    {
        if (!withLegend)
        {
            return new(imageWidth, imageHeight, 0, 0, imageWidth, imageHeight);
        }

        var width = Math.Max(imageWidth, MinimumWidth);
        return new(width, TitleHeight + imageHeight + LegendHeight, (width - imageWidth) / 2, TitleHeight, imageWidth, imageHeight);
    }

    /// <summary>Draws the title above the image and the legend below it (the canvas in PNG coordinates).</summary>
    public static void DrawTitleAndLegend(SKCanvas canvas, HeatmapLayout layout, HeatmapLegend legend, SKColor outlineColor, float outlineWidth, SKColor skipColor)
    {
        using var typeface = SKTypeface.FromFamilyName("DejaVu Sans") ?? SKTypeface.Default;
        using var font = new SKFont(typeface, TextSize);
        using var bold = new SKFont(typeface, TextSize + 2) { Embolden = true };
        using var ink = new SKPaint { Color = SKColors.Black, IsAntialias = true };

        // Title: what and whose.
        var room = layout.Width - (2 * Margin);
        canvas.DrawText($"Redundancy heat map: {legend.Image}", Margin, 22, SKTextAlign.Left, Fit(bold, $"Redundancy heat map: {legend.Image}", room), ink);
        canvas.DrawText($"model: {legend.ModelId}", Margin, 44, SKTextAlign.Left, Fit(font, $"model: {legend.ModelId}", room), ink);

        // Colour bar: the score's ramp, the same colours and opacity as the cells over white, ticks at 0, 0.25, …, 1.
        var top = layout.ImageTop + layout.ImageHeight + Margin;
        var barLeft = Margin;
        var barRight = layout.Width - Margin;
        var barTop = top + 20;
        const int barHeight = 18;
        const string scoreLine = "tint: redundancy score = 1 − max(weighted JSD / jsd_thres, top-1 p / top1_thres), clamped to [0, 1]";
        canvas.DrawText(scoreLine, barLeft, top + 14, SKTextAlign.Left, Fit(font, scoreLine, room), ink);
        font.Size = TextSize;
        using (var shade = new SKPaint { Style = SKPaintStyle.Fill, IsAntialias = false })
        {
            for (var x = barLeft; x < barRight; x++)
            {
                shade.Color = RedundancyHeatmap.Ramp((x - barLeft) / (double)(barRight - barLeft - 1));
                canvas.DrawRect(new SKRect(x, barTop, x + 1, barTop + barHeight), shade);
            }
        }

        using var frame = new SKPaint { Style = SKPaintStyle.Stroke, Color = SKColors.Black, StrokeWidth = 1, IsAntialias = false };
        canvas.DrawRect(new SKRect(barLeft, barTop, barRight, barTop + barHeight), frame);
        foreach (var tick in new[] { 0.0, 0.25, 0.5, 0.75, 1.0 })
        {
            var x = barLeft + (float)(tick * (barRight - barLeft));
            canvas.DrawLine(x, barTop + barHeight, x, barTop + barHeight + 5, frame);
            var align = tick == 0 ? SKTextAlign.Left : tick == 1 ? SKTextAlign.Right : SKTextAlign.Center;
            canvas.DrawText(tick.ToString("0.##", System.Globalization.CultureInfo.InvariantCulture), x, barTop + barHeight + 20, align, font, ink);
        }

        canvas.DrawText("0: keeps information", barLeft, barTop + barHeight + 38, SKTextAlign.Left, font, ink);
        canvas.DrawText("1: redundant with margin", barRight, barTop + barHeight + 38, SKTextAlign.Right, font, ink);

        // Key: an outlined cell is a redundant token; an untinted cell was not evaluated; a cyan corner was measured late.
        var keyTop = barTop + barHeight + 52;
        using var outline = new SKPaint { Style = SKPaintStyle.Stroke, Color = outlineColor, StrokeWidth = outlineWidth, IsAntialias = false };
        canvas.DrawRect(new SKRect(barLeft, keyTop, barLeft + 18, keyTop + 18), outline);
        canvas.DrawText("outline: redundant token", barLeft + 26, keyTop + 14, SKTextAlign.Left, font, ink);
        var untinted = barLeft + 240;
        canvas.DrawRect(new SKRect(untinted, keyTop, untinted + 18, keyTop + 18), frame);
        canvas.DrawText("no tint: not evaluated", untinted + 26, keyTop + 14, SKTextAlign.Left, font, ink);

        // A cyan corner (a cyan frame for the baseline): measured one step later, after a skipped leading token.
        var skipped = barLeft + 440;
        using (var corner = new SKPath())
        using (var cyan = new SKPaint { Style = SKPaintStyle.Fill, Color = skipColor, IsAntialias = false })
        {
            corner.MoveTo(skipped, keyTop);
            corner.LineTo(skipped + 12, keyTop);
            corner.LineTo(skipped, keyTop + 12);
            corner.Close();
            canvas.DrawRect(new SKRect(skipped, keyTop, skipped + 18, keyTop + 18), frame);
            canvas.DrawPath(corner, cyan);
        }

        const string skipLine = "cyan: lead token skipped";
        canvas.DrawText(skipLine, skipped + 26, keyTop + 14, SKTextAlign.Left, Fit(font, skipLine, layout.Width - Margin - skipped - 26), ink);
        font.Size = TextSize;
        canvas.DrawText($"thresholds: {legend.Thresholds}", barLeft, keyTop + 40, SKTextAlign.Left, Fit(font, $"thresholds: {legend.Thresholds}", room), ink);
    }

    // The font at its full size when the text fits in room pixels, else shrunk until it does (the same font object, so
    // callers reset its size before drawing other text).
    private static SKFont Fit(SKFont font, string text, float room)
    {
        font.Size = TextSize + (font.Embolden ? 2 : 0);
        while (font.MeasureText(text) > room && font.Size > 8)
        {
            font.Size -= 0.5f;
        }

        return font;
    }
}
