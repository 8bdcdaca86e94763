namespace Mining.Kernels.Experiments;

/// <summary>Ranks an image's visual tokens by the cosine between each patch feature and the [CLS] feature (1 = most similar).</summary>
public static class ClsRanking
{
    /// <summary>
    /// Rank per token, 1 = most similar: descending cosine, ties broken by the lower token index
    /// (the reference's torch.topk leaves ties unspecified; we fix them so runs repeat).
    /// </summary>
    public static int[] Rank(float[] clsSimilarity)
    {
        ArgumentNullException.ThrowIfNull(clsSimilarity);
        for (var i = 0; i < clsSimilarity.Length; i++)
        {
            if (float.IsNaN(clsSimilarity[i]))
            {
                throw new ArgumentException($"clsSimilarity holds NaN at token {i}", nameof(clsSimilarity));
            }
        }

        var order = Enumerable.Range(0, clsSimilarity.Length).ToArray();
        Array.Sort(order, (a, b) =>
        {
            var bySimilarity = clsSimilarity[b].CompareTo(clsSimilarity[a]);
            return bySimilarity != 0 ? bySimilarity : a.CompareTo(b);
        });

        var ranks = new int[order.Length];
        for (var position = 0; position < order.Length; position++)
        {
            ranks[order[position]] = position + 1;
        }

        return ranks;
    }

    /// <summary>
    /// Cosine between each row of <paramref name="patchFeatures"/> [N, D] and <paramref name="cls"/> [D], in double.
    /// Norms are floored at 1e-12 as torch's <c>F.normalize</c> does, so a zero vector has cosine 0.
    /// </summary>
    public static float[] CosineToCls(float[,] patchFeatures, float[] cls)
    {
        ArgumentNullException.ThrowIfNull(patchFeatures);
        ArgumentNullException.ThrowIfNull(cls);
        var tokens = patchFeatures.GetLength(0);
        var dimension = patchFeatures.GetLength(1);
        var flat = new float[tokens * dimension];
        Buffer.BlockCopy(patchFeatures, 0, flat, 0, flat.Length * sizeof(float));
        return CosineToCls(flat, cls);
    }

    /// <summary>
    /// Cosine between each row of the row-major [N, D] <paramref name="patchFeatures"/> and <paramref name="cls"/> [D],
    /// where D = <paramref name="cls"/>.Length; see the [N, D] overload.
    /// </summary>
    public static float[] CosineToCls(float[] patchFeatures, float[] cls)
    {
        ArgumentNullException.ThrowIfNull(patchFeatures);
        ArgumentNullException.ThrowIfNull(cls);
        var dimension = cls.Length;
        if (dimension == 0)
        {
            throw new ArgumentException("cls is empty", nameof(cls));
        }

        if (patchFeatures.Length % dimension != 0)
        {
            throw new ArgumentException($"patchFeatures holds {patchFeatures.Length} values, not a multiple of the {dimension} of cls", nameof(patchFeatures));
        }

        const double normFloor = 1e-12;
        var clsNorm = Math.Max(Math.Sqrt(Dot(cls, 0, cls, 0, dimension)), normFloor);
        var tokens = patchFeatures.Length / dimension;
        var cosines = new float[tokens];
        for (var t = 0; t < tokens; t++)
        {
            var offset = t * dimension;
            var norm = Math.Max(Math.Sqrt(Dot(patchFeatures, offset, patchFeatures, offset, dimension)), normFloor);
            cosines[t] = (float)(Dot(patchFeatures, offset, cls, 0, dimension) / (norm * clsNorm));
        }

        return cosines;
    }

    private static double Dot(float[] a, int aOffset, float[] b, int bOffset, int length)
    {
        var sum = 0.0;
        for (var i = 0; i < length; i++)
        {
            sum += (double)a[aOffset + i] * b[bOffset + i];
        }

        return sum;
    }
}
