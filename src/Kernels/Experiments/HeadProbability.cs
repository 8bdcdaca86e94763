namespace Mining.Kernels.Experiments;

/// <summary>The single-input experiment's <c>top1_prob</c>: the largest probability of a softmax over the head of the logits.</summary>
public static class HeadProbability
{
    /// <summary>
    /// Softmax over the <paramref name="headTopK"/> largest logits, then its maximum (ARCHITECTURE §1, top1_prob).
    /// Computed in double: the maximum is <c>1 / Σ_k exp(l_k − l_max)</c>.
    /// </summary>
    public static double Top1(float[] logits, int headTopK)
    {
        var head = TopIndices.Of(logits, headTopK, nameof(logits));
        double largest = logits[head[0]];
        var sum = 0.0;
        foreach (var index in head)
        {
            sum += Math.Exp(logits[index] - largest);
        }

        return 1.0 / sum;
    }
}
