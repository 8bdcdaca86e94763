namespace Mining.Kernels.Experiments;

/// <summary>The reference's Jensen–Shannon divergence between an unablated and an ablated variant's first-token logits.</summary>
public static class Divergence
{
    /// <summary>
    /// JSD as the reference computes it (RedundancyCodebook, <c>calculate_jsd</c> after <c>torch.topk</c> + <c>gather</c>):
    /// take the indices of the <paramref name="topK"/> largest <paramref name="unablated"/> logits, gather both
    /// vectors there, P, Q = softmax of each, M = (P+Q)/2, and
    /// <c>jsd = ½·mean_k[M(ln M − ln P)] + ½·mean_k[M(ln M − ln Q)]</c> — a mean over k, natural log.
    /// Not symmetric: the indices come from the first argument. Double precision throughout.
    /// </summary>
    public static double Jsd(float[] unablated, float[] ablated, int topK)
    {
        ArgumentNullException.ThrowIfNull(unablated);
        ArgumentNullException.ThrowIfNull(ablated);
        if (unablated.Length != ablated.Length)
        {
            throw new ArgumentException($"ablated has {ablated.Length} logits but unablated has {unablated.Length}", nameof(ablated));
        }

        var indices = TopIndices.Of(unablated, topK, nameof(unablated));
        var logP = LogSoftmax(unablated, indices, nameof(unablated));
        var logQ = LogSoftmax(ablated, indices, nameof(ablated));
        var klP = 0.0;
        var klQ = 0.0;
        for (var k = 0; k < topK; k++)
        {
            var m = 0.5 * (Math.Exp(logP[k]) + Math.Exp(logQ[k]));

            // torch's kl_div counts a zero target as 0 (the limit of m·ln m), not 0·(−∞).
            if (m == 0)
            {
                continue;
            }

            var logM = Math.Log(m);
            klP += m * (logM - logP[k]);
            klQ += m * (logM - logQ[k]);
        }

        return 0.5 * (klP / topK) + 0.5 * (klQ / topK);
    }

    private static double[] LogSoftmax(float[] logits, int[] indices, string name)
    {
        var max = double.NegativeInfinity;
        foreach (var index in indices)
        {
            var v = (double)logits[index];
            if (!double.IsFinite(v))
            {
                throw new ArgumentException($"{name} holds {v} at index {index}; logits must be finite", name);
            }

            max = Math.Max(max, v);
        }

        var sum = 0.0;
        foreach (var index in indices)
        {
            sum += Math.Exp(logits[index] - max);
        }

        var logSum = max + Math.Log(sum);
        var result = new double[indices.Length];
        for (var k = 0; k < indices.Length; k++)
        {
            result[k] = logits[indices[k]] - logSum;
        }

        return result;
    }
}
