namespace Mining.Kernels.Imaging;

/// <summary>An 8-bit RGB image: <see cref="Pixels"/> holds Height×Width×3 bytes, row-major, channels last (HWC).</summary>
public sealed record RgbImage
{
    public RgbImage(int width, int height, byte[] pixels)
    {
        ArgumentNullException.ThrowIfNull(pixels);
        if (width <= 0 || height <= 0)
        {
            throw new ArgumentException($"image size must be positive, got {width}x{height}", nameof(width));
        }

        if (pixels.LongLength != (long)width * height * 3)
        {
            throw new ArgumentException($"a {width}x{height} RGB image needs {(long)width * height * 3} bytes, got {pixels.LongLength}", nameof(pixels));
        }

        Width = width;
        Height = height;
        Pixels = pixels;
    }

    public int Width { get; }

    public int Height { get; }

    /// <summary>HWC RGB bytes: pixel (x, y) channel c is at <c>(y * Width + x) * 3 + c</c>.</summary>
    public byte[] Pixels { get; }

    /// <summary>An image of the given size filled with one colour.</summary>
    public static RgbImage Filled(int width, int height, byte red, byte green, byte blue)
    {
        var pixels = new byte[checked(width * height * 3)];
        for (var i = 0; i < pixels.Length; i += 3)
        {
            pixels[i] = red;
            pixels[i + 1] = green;
            pixels[i + 2] = blue;
        }

        return new RgbImage(width, height, pixels);
    }

    /// <summary>A copy that does not share <see cref="Pixels"/> with this image.</summary>
    public RgbImage Copy() => new(Width, Height, (byte[])Pixels.Clone());
}
