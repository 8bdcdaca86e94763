namespace Mining.Kernels.Experiments;

/// <summary>
/// The order in which an image's visual tokens are candidates (rank 1 first): by cosine to [CLS] for a CLIP tower, or —
/// for SigLIP, which has no [CLS] — token order, rank = token index + 1, as the reference's OneVision code treats the
/// candidate number as a raw token index (MODELS.md, "Candidates").
/// </summary>
/// <param name="Ranks">Each token's rank, a permutation of 1..N.</param>
/// <param name="ClsSimilarity">Each token's cosine to [CLS], or null when the tower has no [CLS].</param>
public sealed record TokenRanking(int[] Ranks, float[]? ClsSimilarity)
{
    /// <summary>Ranks by descending cosine to [CLS] (<see cref="ClsRanking.Rank"/>).</summary>
    public static TokenRanking ByCls(float[] clsSimilarity) => new(ClsRanking.Rank(clsSimilarity), clsSimilarity);

    /// <summary>Token order: token t has rank t + 1.</summary>
    public static TokenRanking TokenOrder(int tokenCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(tokenCount);
        return new([.. Enumerable.Range(1, tokenCount)], null);
    }

    /// <summary>The tokens ranked.</summary>
    public int TokenCount => Ranks.Length;

    /// <summary>Token <paramref name="token"/>'s cosine to [CLS], or NaN when there is no [CLS].</summary>
    public float SimilarityOf(int token) => ClsSimilarity?[token] ?? float.NaN;
}
