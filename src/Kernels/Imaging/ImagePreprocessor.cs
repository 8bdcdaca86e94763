namespace Mining.Kernels.Imaging;

/// <summary>Reproduces HF's <c>CLIPImageProcessor</c> on PIL images bit-exactly: resize the shortest edge, centre crop, rescale, normalise, HWC → CHW.</summary>
/// <remarks>
/// Semantics from transformers' image_transforms.py (<c>get_resize_output_image_size</c>, <c>center_crop</c>,
/// <c>rescale</c>, <c>normalize</c>) and models/clip/image_processing_clip.py; resizing is PIL's
/// <c>Image.resize(..., reducing_gap=None)</c> via <see cref="PillowResampler"/>. <see cref="ImageAspect.Pad"/>
/// adds LLaVA's <c>expand2square</c> (llava/mm_utils.py) in front.
/// </remarks>
public sealed class ImagePreprocessor
{
    private readonly ResampleFilter filter;

    public ImagePreprocessor(PreprocessorConfig config, ImageAspect aspect = ImageAspect.Crop)
    {
        ArgumentNullException.ThrowIfNull(config);
        if (!Enum.IsDefined(aspect))
        {
            throw new ArgumentOutOfRangeException(nameof(aspect), aspect, "expected Crop or Pad");
        }

        if (config.ImageMean.Count != 3 || config.ImageStd.Count != 3)
        {
            throw new ArgumentException($"image_mean and image_std need 3 values (R, G, B), got {config.ImageMean.Count} and {config.ImageStd.Count}", nameof(config));
        }

        if (config.ShortestEdge <= 0 || config.CropHeight <= 0 || config.CropWidth <= 0)
        {
            throw new ArgumentException(
                $"size.shortest_edge and crop_size must be positive, got {config.ShortestEdge} and {config.CropHeight}x{config.CropWidth}", nameof(config));
        }

        filter = config.Filter;
        Config = config;
        Aspect = aspect;
    }

    public PreprocessorConfig Config { get; }

    public ImageAspect Aspect { get; }

    /// <summary>Pads (in <see cref="ImageAspect.Pad"/> mode), resizes and crops as the config says, then rescales and normalises.</summary>
    public PreprocessedImage Preprocess(RgbImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        var current = Aspect == ImageAspect.Pad ? PadToSquare(image) : image;
        if (Config.DoResize)
        {
            current = Resize(current);
        }

        if (Config.DoCenterCrop)
        {
            current = CenterCrop(current);
        }

        return new PreprocessedImage(current, Normalize(current), 3, current.Height, current.Width);
    }

    /// <summary>
    /// Resizes so the shorter edge is <c>size.shortest_edge</c> (the longer edge is <c>int(shortest · long / short)</c>,
    /// truncated), or, for a {height, width} <c>size</c>, to exactly that size (OneVision's squash, MODELS.md).
    /// </summary>
    public RgbImage Resize(RgbImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        var (height, width) = Config.FixedSize ?? ResizedSize(image.Height, image.Width, Config.ShortestEdge);
        return PillowResampler.Resize(image, width, height, filter);
    }

    /// <summary>The (height, width) that <c>get_resize_output_image_size(default_to_square=False)</c> returns.</summary>
    public static (int Height, int Width) ResizedSize(int height, int width, int shortestEdge)
    {
        var (shortSide, longSide) = width <= height ? (width, height) : (height, width);

        // Python: int(requested_new_short * long / short): an exact integer product, a correctly
        // rounded true division in double, then truncation.
        var newLong = (int)((double)((long)shortestEdge * longSide) / shortSide);
        return width <= height ? (newLong, shortestEdge) : (shortestEdge, newLong);
    }

    /// <summary>HF's <c>center_crop</c> to <c>crop_size</c>: offsets <c>(h − crop) // 2</c>, <c>(w − crop) // 2</c>; a side shorter than the crop is zero-padded, the image placed at <c>ceil((crop − side) / 2)</c>.</summary>
    public RgbImage CenterCrop(RgbImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        var cropHeight = Config.CropHeight;
        var cropWidth = Config.CropWidth;
        if (image.Height == cropHeight && image.Width == cropWidth)
        {
            return image.Copy();
        }

        var (sourceTop, destTop, rows) = CropAxis(image.Height, cropHeight);
        var (sourceLeft, destLeft, columns) = CropAxis(image.Width, cropWidth);
        var output = new byte[checked(cropHeight * cropWidth * 3)];
        for (var y = 0; y < rows; y++)
        {
            Array.Copy(
                image.Pixels,
                (((sourceTop + y) * image.Width) + sourceLeft) * 3,
                output,
                (((destTop + y) * cropWidth) + destLeft) * 3,
                columns * 3);
        }

        return new RgbImage(cropWidth, cropHeight, output);
    }

    /// <summary>LLaVA's <c>expand2square</c>: a square of side max(w, h) filled with <c>int(x·255)</c> of each mean, the image pasted at <c>((side − w) // 2, (side − h) // 2)</c>.</summary>
    public RgbImage PadToSquare(RgbImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        if (image.Width == image.Height)
        {
            return image.Copy();
        }

        var side = Math.Max(image.Width, image.Height);
        var canvas = RgbImage.Filled(side, side, MeanByte(0), MeanByte(1), MeanByte(2));
        var left = (side - image.Width) / 2;
        var top = (side - image.Height) / 2;
        for (var y = 0; y < image.Height; y++)
        {
            Array.Copy(image.Pixels, y * image.Width * 3, canvas.Pixels, (((top + y) * side) + left) * 3, image.Width * 3);
        }

        return canvas;
    }

    /// <summary>CHW float32 pixel values: <c>float32(x · rescale_factor)</c> computed in double, then <c>(v − mean) / std</c> in float32.</summary>
    public float[] Normalize(RgbImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        var plane = image.Width * image.Height;
        var values = new float[checked(plane * 3)];
        for (var c = 0; c < 3; c++)
        {
            // HF's normalize casts mean and std to the image dtype (float32) and computes in it.
            var mean = (float)Config.ImageMean[c];
            var std = (float)Config.ImageStd[c];
            for (var i = 0; i < plane; i++)
            {
                var raw = image.Pixels[(i * 3) + c];

                // HF's rescale upcasts to float64, multiplies, and only then casts to float32.
                var value = Config.DoRescale ? (float)(raw * Config.RescaleFactor) : raw;
                values[(c * plane) + i] = Config.DoNormalize ? (value - mean) / std : value;
            }
        }

        return values;
    }

    // Per axis: where the copy starts in the source and in the crop, and how many pixels it takes.
    private static (int Source, int Dest, int Length) CropAxis(int size, int crop) =>
        size >= crop
            ? ((size - crop) / 2, 0, crop)
            : (0, (crop - size + 1) / 2, size);

    // Python int() truncates; the means are positive, so a cast does the same.
    private byte MeanByte(int channel) => (byte)Math.Clamp((int)(Config.ImageMean[channel] * 255), 0, 255);
}
