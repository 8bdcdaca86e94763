namespace Mining.Kernels.Tests.Imaging;

/// <summary>A deliberately plain second implementation of PIL's antialiased bicubic resize, in double precision, for comparison with the fixed-point port.</summary>
/// <remarks>
/// Same formulas as Pillow's Resample.c (kernel a = −0.5, support 2 scaled by the downscale factor,
/// weights normalised to sum 1, horizontal pass then vertical pass, each rounded to uint8), but with
/// no fixed point, no window bookkeeping (every source sample is weighed; outside the support the
/// kernel is 0) and no pass skipping.
/// </remarks>
internal static class PlainBicubicResampler
{
    public static byte[] Resize(byte[] hwc, int width, int height, int newWidth, int newHeight)
    {
        var horizontal = Weights(width, newWidth);
        var temp = new byte[height * newWidth * 3];
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < newWidth; x++)
            {
                for (var c = 0; c < 3; c++)
                {
                    var sum = 0.0;
                    for (var i = 0; i < width; i++)
                    {
                        sum += horizontal[x, i] * hwc[((y * width) + i) * 3 + c];
                    }

                    temp[((y * newWidth) + x) * 3 + c] = ToByte(sum);
                }
            }
        }

        var vertical = Weights(height, newHeight);
        var result = new byte[newHeight * newWidth * 3];
        for (var y = 0; y < newHeight; y++)
        {
            for (var x = 0; x < newWidth; x++)
            {
                for (var c = 0; c < 3; c++)
                {
                    var sum = 0.0;
                    for (var j = 0; j < height; j++)
                    {
                        sum += vertical[y, j] * temp[((j * newWidth) + x) * 3 + c];
                    }

                    result[((y * newWidth) + x) * 3 + c] = ToByte(sum);
                }
            }
        }

        return result;
    }

    private static double[,] Weights(int inSize, int outSize)
    {
        var scale = (double)inSize / outSize;
        var stretch = Math.Max(scale, 1.0);
        var weights = new double[outSize, inSize];
        for (var o = 0; o < outSize; o++)
        {
            var center = (o + 0.5) * scale;
            var total = 0.0;
            for (var i = 0; i < inSize; i++)
            {
                weights[o, i] = Cubic((i + 0.5 - center) / stretch);
                total += weights[o, i];
            }

            for (var i = 0; i < inSize; i++)
            {
                weights[o, i] /= total;
            }
        }

        return weights;
    }

    private static double Cubic(double x)
    {
        const double a = -0.5;
        x = Math.Abs(x);
        if (x < 1)
        {
            return ((a + 2) * x * x * x) - ((a + 3) * x * x) + 1;
        }

        return x < 2 ? a * ((x * x * x) - (5 * x * x) + (8 * x) - 4) : 0;
    }

    private static byte ToByte(double value) => (byte)Math.Clamp(Math.Floor(value + 0.5), 0, 255);
}
