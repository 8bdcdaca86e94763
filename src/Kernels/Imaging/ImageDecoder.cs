using System.Runtime.InteropServices;
using Mining.Kernels.IO;
using SkiaSharp;

namespace Mining.Kernels.Imaging;

/// <summary>Decodes PNG, JPEG and the other formats Skia reads into <see cref="RgbImage"/>, matching PIL's <c>Image.open(...).convert("RGB")</c>.</summary>
/// <remarks>
/// Pixels are read as unpremultiplied RGBA with no colour space (so no colour management, as PIL does
/// not apply ICC profiles either), and alpha is dropped without compositing, which is what PIL's
/// RGBA→RGB conversion does. Grayscale and palette images come out with their RGB expansion.
/// The fixture README records that this yields exactly PIL's values for its PNGs and the sample JPEGs.
/// EXIF orientation is not applied, as <c>Image.open</c> does not apply it.
/// </remarks>
public static class ImageDecoder
{
    /// <summary>Decodes the image file at <paramref name="path"/>, opened as <paramref name="roots"/> allow (anywhere when null; regular files only).</summary>
    public static RgbImage Decode(string path, AllowedRoots? roots = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        byte[] bytes;
        try
        {
            bytes = (roots ?? AllowedRoots.Anywhere).ReadAllBytes(path);
        }
        catch (InputFileException e)
        {
            throw new ImageDecodeException($"{path}: cannot read image: {e.Problem}", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            var problem = e is FileNotFoundException or DirectoryNotFoundException ? "file not found" : e.Message;
            throw new ImageDecodeException($"{path}: cannot read image: {problem}", e);
        }

        return Decode(bytes, path);
    }

    /// <summary>Decodes encoded image bytes; <paramref name="name"/> names them in error messages.</summary>
    public static RgbImage Decode(byte[] bytes, string name)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        if (bytes.Length == 0)
        {
            throw new ImageDecodeException($"{name}: cannot decode image: the file is empty");
        }

        using var data = SKData.CreateCopy(bytes);
        using var codec = SKCodec.Create(data);
        if (codec is null)
        {
            throw new ImageDecodeException($"{name}: cannot decode image: not a recognised image format");
        }

        var width = codec.Info.Width;
        var height = codec.Info.Height;
        if (width <= 0 || height <= 0)
        {
            throw new ImageDecodeException($"{name}: cannot decode image: invalid size {width}x{height}");
        }

        // colorspace: null asks Skia for the encoded values as they are, without colour conversion.
        var info = new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Unpremul, colorspace: null);
        long rgbaLength = (long)width * height * 4;
        if (rgbaLength > int.MaxValue)
        {
            throw new ImageDecodeException($"{name}: cannot decode image: {width}x{height} is too large");
        }

        var rgba = new byte[rgbaLength];
        SKCodecResult result;
        var handle = GCHandle.Alloc(rgba, GCHandleType.Pinned);
        try
        {
            result = codec.GetPixels(info, handle.AddrOfPinnedObject());
        }
        finally
        {
            handle.Free();
        }

        if (result != SKCodecResult.Success)
        {
            var problem = result == SKCodecResult.IncompleteInput ? "the data is truncated" : $"the decoder reported {result}";
            throw new ImageDecodeException($"{name}: cannot decode image: {problem}");
        }

        var rgb = new byte[(long)width * height * 3];
        for (int src = 0, dst = 0; dst < rgb.Length; src += 4, dst += 3)
        {
            rgb[dst] = rgba[src];
            rgb[dst + 1] = rgba[src + 1];
            rgb[dst + 2] = rgba[src + 2];
        }

        return new RgbImage(width, height, rgb);
    }
}
