namespace Mining.Kernels.Experiments;

/// <summary>
/// The durable per-image unit of a mining job: status, grid, every candidate's measurements and filter
/// decision, and the embeddings of the kept tokens (row-major [kept, HiddenSize], in candidate order).
/// </summary>
public sealed record ImageResult(
    string ImageId,
    ImageStatus Status,
    string? FailureReason,
    int Grid,
    int HiddenSize,
    IReadOnlyList<CandidateResult> Candidates,
    float[] KeptEmbeddings)
{
    /// <summary>The baseline was measured one position later, after a skipped leading token (false for results written before the rule).</summary>
    public bool BaselineLeadSkipped { get; init; }

    /// <summary>Number of kept tokens.</summary>
    public int KeptCount => Candidates.Count(c => c.KeptByImageFilter);

    /// <summary>A failed image: no candidates, the reason recorded.</summary>
    public static ImageResult Failure(string imageId, string reason) =>
        new(imageId, ImageStatus.Failed, reason, 0, 0, [], []);
}
