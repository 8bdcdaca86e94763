namespace Mining.Kernels.Imaging;

/// <summary>An exact port of Pillow's <c>ImagingResample</c> for 8-bit RGB: antialiased separable resampling with fixed-point coefficients.</summary>
/// <remarks>
/// Follows Pillow's src/libImaging/Resample.c (<c>precompute_coeffs</c>, <c>normalize_coeffs_8bpc</c>,
/// <c>ImagingResampleInner</c>, the 8bpc horizontal and vertical passes) for
/// <c>Image.resize(size, filter, box=None, reducing_gap=None)</c>. Every floating-point expression keeps
/// Pillow's operand order and precision, so results are bit-identical to PIL's.
/// </remarks>
public static class PillowResampler
{
    // Resample.c: 8 bits for the result, 2 bits of headroom for negative lobes and sums above 1.
    private const int PrecisionBits = 32 - 8 - 2;

    /// <summary>Resizes <paramref name="image"/> to <paramref name="width"/>×<paramref name="height"/> as PIL's <c>Image.resize</c> does.</summary>
    public static RgbImage Resize(RgbImage image, int width, int height, ResampleFilter filter)
    {
        ArgumentNullException.ThrowIfNull(image);
        if (width <= 0 || height <= 0)
        {
            throw new ArgumentException($"target size must be positive, got {width}x{height}", nameof(width));
        }

        var support = FilterSupport(filter);

        // Image.resize returns a copy when the size is unchanged; ImagingResampleInner likewise skips
        // each pass whose size does not change (the box is the whole image).
        var needHorizontal = width != image.Width;
        var needVertical = height != image.Height;
        if (!needHorizontal && !needVertical)
        {
            return image.Copy();
        }

        var vertical = Coefficients.Compute(image.Height, 0f, image.Height, height, filter, support);

        // Only rows ybox_first..ybox_last of the source feed the vertical pass, so the horizontal pass
        // computes just those rows and the vertical bounds are shifted to match.
        var yboxFirst = vertical.Min[0];
        var yboxLast = vertical.Min[height - 1] + vertical.Count[height - 1];

        var current = image;
        var rowOffset = 0;
        if (needHorizontal)
        {
            var horizontal = Coefficients.Compute(image.Width, 0f, image.Width, width, filter, support);
            current = HorizontalPass(image, horizontal, yboxFirst, yboxLast - yboxFirst);
            rowOffset = yboxFirst;
        }

        if (needVertical)
        {
            current = VerticalPass(current, vertical, rowOffset);
        }

        return current;
    }

    private static double FilterSupport(ResampleFilter filter) => filter switch
    {
        ResampleFilter.Bilinear => 1.0,
        ResampleFilter.Bicubic => 2.0,
        _ => throw new ArgumentOutOfRangeException(nameof(filter), filter, "supported filters: Bilinear (2), Bicubic (3)"),
    };

    // Resample.c bilinear_filter.
    private static double Bilinear(double x)
    {
        if (x < 0.0)
        {
            x = -x;
        }

        return x < 1.0 ? 1.0 - x : 0.0;
    }

    // Resample.c bicubic_filter with a = -0.5, written with the same operand order as the C macro expansion.
    private static double Bicubic(double x)
    {
        const double a = -0.5;
        if (x < 0.0)
        {
            x = -x;
        }

        if (x < 1.0)
        {
            return ((((a + 2.0) * x) - (a + 3.0)) * x * x) + 1;
        }

        if (x < 2.0)
        {
            return ((((((x - 5) * x) + 8) * x) - 4) * a);
        }

        return 0.0;
    }

    private static RgbImage HorizontalPass(RgbImage source, Coefficients coefficients, int firstRow, int rows)
    {
        var outWidth = coefficients.OutSize;
        var output = new byte[checked(outWidth * rows * 3)];
        var input = source.Pixels;
        var kernelSize = coefficients.KernelSize;
        var weights = coefficients.Fixed;
        for (var yy = 0; yy < rows; yy++)
        {
            var inRow = (yy + firstRow) * source.Width * 3;
            var outRow = yy * outWidth * 3;
            for (var xx = 0; xx < outWidth; xx++)
            {
                var taps = weights.AsSpan(xx * kernelSize, coefficients.Count[xx]);
                Convolve(input, inRow + (coefficients.Min[xx] * 3), 3, taps, output, outRow + (xx * 3));
            }
        }

        return new RgbImage(outWidth, rows, output);
    }

    private static RgbImage VerticalPass(RgbImage source, Coefficients coefficients, int rowOffset)
    {
        var outHeight = coefficients.OutSize;
        var width = source.Width;
        var output = new byte[checked(width * outHeight * 3)];
        var input = source.Pixels;
        var kernelSize = coefficients.KernelSize;
        var weights = coefficients.Fixed;
        for (var yy = 0; yy < outHeight; yy++)
        {
            var ymin = coefficients.Min[yy] - rowOffset;
            var taps = weights.AsSpan(yy * kernelSize, coefficients.Count[yy]);
            var outRow = yy * width * 3;
            for (var xx = 0; xx < width; xx++)
            {
                Convolve(input, ((ymin * width) + xx) * 3, width * 3, taps, output, outRow + (xx * 3));
            }
        }

        return new RgbImage(width, outHeight, output);
    }

    /// <summary>
    /// One output pixel of either pass: the weighted sum of the source pixels at <paramref name="first"/>,
    /// <paramref name="first"/> + <paramref name="stride"/>, … (one per weight), in fixed point from half a unit, clipped to 8 bits.
    /// </summary>
    private static void Convolve(byte[] input, int first, int stride, ReadOnlySpan<int> weights, byte[] output, int at)
    {
        int ss0 = 1 << (PrecisionBits - 1), ss1 = ss0, ss2 = ss0;
        for (var i = 0; i < weights.Length; i++)
        {
            var p = first + (i * stride);
            var w = weights[i];
            ss0 += input[p] * w;
            ss1 += input[p + 1] * w;
            ss2 += input[p + 2] * w;
        }

        output[at] = Clip8(ss0);
        output[at + 1] = Clip8(ss1);
        output[at + 2] = Clip8(ss2);
    }

    // Resample.c clip8: an arithmetic shift, then the lookup table that saturates to 0..255.
    private static byte Clip8(int value) => (byte)Math.Clamp(value >> PrecisionBits, 0, 255);

    /// <summary>Per output position: the first source index, how many source samples, and their fixed-point weights.</summary>
    private sealed record Coefficients(int OutSize, int KernelSize, int[] Min, int[] Count, int[] Fixed)
    {
        // Resample.c precompute_coeffs followed by normalize_coeffs_8bpc.
        public static Coefficients Compute(int inSize, float in0, float in1, int outSize, ResampleFilter filter, double filterSupport)
        {
            Func<double, double> kernel = filter == ResampleFilter.Bilinear ? Bilinear : Bicubic;

            // in1 - in0 is a float subtraction in C, widened to double before the division.
            double scale = (double)(in1 - in0) / outSize;
            var filterScale = scale < 1.0 ? 1.0 : scale;
            var support = filterSupport * filterScale;
            var kernelSize = ((int)Math.Ceiling(support) * 2) + 1;

            var min = new int[outSize];
            var count = new int[outSize];
            var weights = new double[checked(outSize * kernelSize)];
            var invFilterScale = 1.0 / filterScale;
            for (var xx = 0; xx < outSize; xx++)
            {
                var center = in0 + ((xx + 0.5) * scale);
                var ww = 0.0;

                // C's (int) cast truncates toward zero, as C#'s does.
                var xmin = (int)(center - support + 0.5);
                if (xmin < 0)
                {
                    xmin = 0;
                }

                var xmax = (int)(center + support + 0.5);
                if (xmax > inSize)
                {
                    xmax = inSize;
                }

                xmax -= xmin;
                var k = xx * kernelSize;
                for (var x = 0; x < xmax; x++)
                {
                    var w = kernel((((x + xmin) - center) + 0.5) * invFilterScale);
                    weights[k + x] = w;
                    ww += w;
                }

                if (ww != 0.0)
                {
                    for (var x = 0; x < xmax; x++)
                    {
                        weights[k + x] /= ww;
                    }
                }

                min[xx] = xmin;
                count[xx] = xmax;
            }

            var fixedWeights = new int[weights.Length];
            for (var i = 0; i < weights.Length; i++)
            {
                fixedWeights[i] = weights[i] < 0
                    ? (int)(-0.5 + (weights[i] * (1 << PrecisionBits)))
                    : (int)(0.5 + (weights[i] * (1 << PrecisionBits)));
            }

            return new Coefficients(outSize, kernelSize, min, count, fixedWeights);
        }
    }
}
