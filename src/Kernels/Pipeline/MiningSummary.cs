namespace Mining.Kernels.Pipeline;

/// <summary>What a mining run did, for people (<see cref="ToText"/>) and for tools (serialised as JSON).</summary>
public sealed record MiningSummary(
    string Codebook,
    string? Results,
    string Model,
    int Images,
    int ImagesOk,
    int ImagesFailed,
    IReadOnlyList<ImageFailure> Failures,
    int Candidates,
    int Redundant,
    int Kept,
    int PrototypeClustersKept,
    int PrototypesBeforeDedup,
    int PrototypesAfterDedup,
    double DedupThresholdChangedFraction,
    double DedupRatioChangedFraction,
    int DedupImpactTokens,
    long VariantsScored,
    double Seconds,
    double VariantsPerSecond,
    string ParametersJson)
{
    /// <summary>The summary of a run that found <paramref name="statistics"/> in <paramref name="seconds"/>.</summary>
    public MiningSummary(
        string codebook,
        string? results,
        string model,
        int images,
        int imagesOk,
        int imagesFailed,
        IReadOnlyList<ImageFailure> failures,
        MiningStatistics statistics,
        double seconds,
        string parametersJson)
        : this(
            codebook,
            results,
            model,
            images,
            imagesOk,
            imagesFailed,
            failures,
            statistics.Candidates,
            statistics.Redundant,
            statistics.Kept,
            statistics.PrototypeClustersKept,
            statistics.PrototypesBeforeDedup,
            statistics.PrototypesAfterDedup,
            statistics.DedupThresholdChangedFraction,
            statistics.DedupRatioChangedFraction,
            statistics.DedupImpactTokens,
            statistics.VariantsScored,
            seconds,
            statistics.VariantsScored / Math.Max(seconds, 1e-9),
            parametersJson)
    {
    }

    /// <summary>A readable multi-line summary.</summary>
    public string ToText()
    {
        var lines = new List<string>
        {
            $"images           {ImagesOk} ok, {ImagesFailed} failed (of {Images})",
        };
        lines.AddRange(Failures.Select(f => $"  failed         {f.ImageId}: {f.Reason}"));
        lines.Add($"candidates       {Candidates}, redundant {Redundant}, kept by the per-image filter {Kept}");
        lines.Add($"prototypes       {PrototypesBeforeDedup} from {PrototypeClustersKept} context-independent clusters, {PrototypesAfterDedup} after dedup");
        lines.Add(DedupImpactTokens > 0
            ? $"dedup impact     {DedupThresholdChangedFraction:P2} of threshold-mode and {DedupRatioChangedFraction:P2} of ratio-mode keep decisions change on {DedupImpactTokens} held-out tokens"
            : "dedup impact     not measured (no prototypes)");
        lines.Add($"time             {Seconds:F1} s, {VariantsScored} variants, {VariantsPerSecond:F1} variants/s");
        lines.Add($"codebook         {Codebook}");
        if (Results is not null)
        {
            lines.Add($"per-image        {Results}");
        }

        return string.Join(Environment.NewLine, lines);
    }
}
