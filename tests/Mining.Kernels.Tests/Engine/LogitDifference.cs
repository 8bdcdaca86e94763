namespace Mining.Kernels.Tests.Engine;

/// <summary>Largest absolute difference between two sets of logit vectors.</summary>
internal static class LogitDifference
{
    public static double Max(float[][] expected, float[][] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        var max = 0.0;
        for (var v = 0; v < expected.Length; v++)
        {
            Assert.Equal(expected[v].Length, actual[v].Length);
            for (var i = 0; i < expected[v].Length; i++)
            {
                max = Math.Max(max, Math.Abs((double)expected[v][i] - actual[v][i]));
            }
        }

        return max;
    }
}
