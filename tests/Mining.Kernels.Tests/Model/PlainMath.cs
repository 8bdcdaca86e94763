namespace Mining.Kernels.Tests.Model;

/// <summary>Plainly written reference arithmetic for the module tests (double precision loops).</summary>
internal static class PlainMath
{
    /// <summary>y = W x + b for W [out, in] row-major.</summary>
    public static double[] Linear(double[] x, float[] weight, float[]? bias, int outputs)
    {
        var inputs = x.Length;
        var y = new double[outputs];
        for (var o = 0; o < outputs; o++)
        {
            double sum = bias?[o] ?? 0;
            for (var i = 0; i < inputs; i++)
            {
                sum += weight[(o * inputs) + i] * x[i];
            }

            y[o] = sum;
        }

        return y;
    }

    public static double[] Softmax(double[] x)
    {
        var max = x.Max();
        var e = x.Select(v => Math.Exp(v - max)).ToArray();
        var sum = e.Sum();
        return e.Select(v => v / sum).ToArray();
    }

    /// <summary>erf by Abramowitz and Stegun 7.1.26 refined with a series for small |x| (absolute error below 1e-9 where used).</summary>
    public static double Erf(double x)
    {
        // Taylor series converges fast for |x| < 3; tests use small activations.
        double sum = 0, term = x;
        for (var n = 0; n < 200; n++)
        {
            sum += term / ((2 * n) + 1);
            term *= -x * x / (n + 1);
            if (Math.Abs(term) < 1e-17)
            {
                break;
            }
        }

        return 2 / Math.Sqrt(Math.PI) * sum;
    }

    public static double Gelu(double x) => 0.5 * x * (1 + Erf(x / Math.Sqrt(2)));

    public static double QuickGelu(double x) => x / (1 + Math.Exp(-1.702 * x));

    public static double Silu(double x) => x / (1 + Math.Exp(-x));

    public static double[] LayerNorm(double[] x, float[] weight, float[] bias, double eps)
    {
        var mean = x.Average();
        var variance = x.Select(v => (v - mean) * (v - mean)).Average();
        return x.Select((v, i) => ((v - mean) / Math.Sqrt(variance + eps) * weight[i]) + bias[i]).ToArray();
    }
}
