namespace Mining.Kernels.Model;

/// <summary>The most likely tokens of a logit vector with their softmax probabilities over the whole vocabulary.</summary>
public static class TopTokens
{
    /// <summary>The <paramref name="count"/> largest logits (ties: lower id first) as (id, probability), most likely first.</summary>
    public static IReadOnlyList<(int Id, double Probability)> Of(float[] logits, int count)
    {
        ArgumentNullException.ThrowIfNull(logits);
        var max = logits.Max();
        var denominator = logits.Sum(l => Math.Exp(l - max));
        return Enumerable.Range(0, logits.Length)
            .OrderByDescending(i => logits[i]).ThenBy(i => i)
            .Take(Math.Max(0, count))
            .Select(i => (i, Math.Exp(logits[i] - max) / denominator))
            .ToArray();
    }
}
