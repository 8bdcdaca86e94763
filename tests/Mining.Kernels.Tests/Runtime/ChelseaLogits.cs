using Mining.Kernels.Experiments;
using Mining.Kernels.IO;
using Mining.Kernels.Model;
using Mining.Kernels.Tests.Experiments;

namespace Mining.Kernels.Tests.Runtime;

/// <summary>
/// What a runtime says about the fixture's chelsea image: the baseline logits, then for each token the fixture
/// samples its four variants (single, window, window with the centre padded, all tokens with the window padded).
/// </summary>
internal static class ChelseaLogits
{
    public static float[][] Of(LlavaRuntime runtime) => Of(runtime, TestData.Fixture, ExpectedExperiments.Fixture, padTokenId: 0);

    /// <summary>The same for the chelsea image of the fixture in <paramref name="fixture"/>, padding with <paramref name="padTokenId"/>.</summary>
    public static float[][] Of(LlavaRuntime runtime, string fixture, ExpectedExperiments expected, int padTokenId)
    {
        using var image = runtime.Encode(NpyFile.Read(Path.Combine(fixture, "arrays", "chelsea.pixel_values.npy")).ToFloat32());
        var variants = new List<int[]>();
        foreach (var token in expected.Image("chelsea").VariantLogits.Keys.Order())
        {
            variants.Add(VisualVariant.Single(token, 1));
            variants.Add(VisualVariant.Window(token, image.Grid));
            variants.Add(VisualVariant.WindowCenterPadded(token, image.Grid));
            variants.Add(VisualVariant.GlobalWindowPadded(token, image.Grid));
        }

        return [runtime.BaselineLogits(image), .. runtime.FirstTokenLogits(image, variants, padTokenId)];
    }

    /// <summary>Loads <paramref name="modelDirectory"/>, takes its chelsea logits and releases it.</summary>
    public static float[][] OfCheckpoint(string modelDirectory)
    {
        using var runtime = LlavaRuntime.Load(modelDirectory);
        return Of(runtime);
    }

    /// <summary>Every logit's bit pattern, so equality means bitwise-identical floats (and NaN equals itself).</summary>
    public static uint[][] Bits(float[][] logits) =>
        logits.Select(row => row.Select(BitConverter.SingleToUInt32Bits).ToArray()).ToArray();

    /// <summary>max |a − b| over all rows and vocabulary entries.</summary>
    public static double MaxAbsDifference(float[][] expected, float[][] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        var max = 0.0;
        for (var row = 0; row < expected.Length; row++)
        {
            Assert.Equal(expected[row].Length, actual[row].Length);
            for (var i = 0; i < expected[row].Length; i++)
            {
                max = Math.Max(max, Math.Abs((double)expected[row][i] - actual[row][i]));
            }
        }

        return max;
    }

    /// <summary>max |x| over all rows.</summary>
    public static double MaxAbs(float[][] logits) => logits.SelectMany(row => row).Max(x => Math.Abs((double)x));
}
