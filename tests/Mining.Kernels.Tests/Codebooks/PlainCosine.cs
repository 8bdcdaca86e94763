namespace Mining.Kernels.Tests.Codebooks;

/// <summary>Cosine similarity as a plain double loop, the test's own second implementation.</summary>
internal static class PlainCosine
{
    public static double Of(float[] a, float[] b)
    {
        double dot = 0, na = 0, nb = 0;
        for (var i = 0; i < a.Length; i++)
        {
            dot += (double)a[i] * b[i];
            na += (double)a[i] * a[i];
            nb += (double)b[i] * b[i];
        }

        return na == 0 || nb == 0 ? 0 : dot / Math.Sqrt(na * nb);
    }
}
