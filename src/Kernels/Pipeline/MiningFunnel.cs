using System.Globalization;
using Mining.Kernels.Experiments;

namespace Mining.Kernels.Pipeline;

/// <summary>
/// How a mining run narrowed its tokens down — candidates → redundant → kept by the per-image filter → clusters
/// meeting the unique-image condition → prototypes — and, for an empty codebook, the first stage that went to zero
/// with the parameter that governs it.
/// </summary>
/// <param name="ImagesOk">Images mined without failure.</param>
/// <param name="Candidates">Candidate tokens measured.</param>
/// <param name="Redundant">Candidates found redundant (top-1 probability and weighted JSD under their thresholds).</param>
/// <param name="Kept">Redundant tokens in small per-image clusters.</param>
/// <param name="Clusters">Pooled clusters spanning more than min_unique_images distinct images.</param>
/// <param name="Prototypes">Prototypes after deduplication.</param>
public sealed record MiningFunnel(int ImagesOk, int Candidates, int Redundant, int Kept, int Clusters, int Prototypes)
{
    /// <summary>The funnel of a run's summary.</summary>
    public static MiningFunnel Of(MiningSummary summary)
    {
        ArgumentNullException.ThrowIfNull(summary);
        return new(summary.ImagesOk, summary.Candidates, summary.Redundant, summary.Kept, summary.PrototypeClustersKept, summary.PrototypesAfterDedup);
    }

    /// <summary>"candidates 704 → redundant 96 → kept by the per-image filter 31 → clusters meeting the unique-image condition 0 → prototypes 0".</summary>
    public string ToText() => string.Create(
        CultureInfo.InvariantCulture,
        $"candidates {Candidates} → redundant {Redundant} → kept by the per-image filter {Kept} → clusters meeting the unique-image condition {Clusters} → prototypes {Prototypes}");

    /// <summary>
    /// Null when the run produced prototypes; otherwise the first stage that went to zero and the parameter that
    /// governs it, e.g. "min_unique_images 64: no cluster has more than 64 distinct images (11 images mined)".
    /// <paramref name="parameters"/> supplies the values; without them only the names are given.
    /// </summary>
    public string? EmptyBecause(MiningParameters? parameters)
    {
        if (Prototypes > 0)
        {
            return null;
        }

        // Too few images can never meet the unique-image condition, whatever the thresholds: that is said first.
        var reasons = new List<string>();
        if (parameters is not null && ImagesOk > 0 && ImagesOk <= parameters.MinUniqueImages)
        {
            reasons.Add(UniqueImages(parameters.MinUniqueImages.ToString(CultureInfo.InvariantCulture), " " + parameters.MinUniqueImages.ToString(CultureInfo.InvariantCulture)));
        }

        var stage = FirstEmptyStage(parameters);
        if (!reasons.Contains(stage))
        {
            reasons.Add(stage);
        }

        return string.Join("; also ", reasons);
    }

    private string UniqueImages(string bound, string value) => string.Create(
        CultureInfo.InvariantCulture, $"min_unique_images{value}: no cluster has more than {bound} distinct images ({ImagesOk} images mined, {Kept} tokens kept)");

    private string FirstEmptyStage(MiningParameters? parameters)
    {
        string Value(Func<MiningParameters, object> of) => parameters is null ? "" : " " + Convert.ToString(of(parameters), CultureInfo.InvariantCulture);
        if (ImagesOk == 0)
        {
            return "no image was mined: every image failed";
        }

        if (Candidates == 0)
        {
            return string.Create(CultureInfo.InvariantCulture, $"no candidate tokens in {ImagesOk} images (--all-tokens evaluates every token)");
        }

        if (Redundant == 0)
        {
            return string.Create(
                CultureInfo.InvariantCulture,
                $"top1_thres{Value(p => p.Top1Thres)} / jsd_thres{Value(p => p.JsdThres)}: none of the {Candidates} candidate tokens has a top-1 probability and a weighted JSD below both thresholds");
        }

        if (Kept == 0)
        {
            return string.Create(
                CultureInfo.InvariantCulture,
                $"small_cluster_max{Value(p => p.SmallClusterMax)}: none of the {Redundant} redundant tokens lies in a per-image cluster of at most that many tokens (image_clusters{Value(p => p.ImageClusters)})");
        }

        if (Clusters == 0)
        {
            return UniqueImages(parameters is null ? "min_unique_images" : parameters.MinUniqueImages.ToString(CultureInfo.InvariantCulture), Value(p => p.MinUniqueImages));
        }

        return string.Create(CultureInfo.InvariantCulture, $"dedup_cosine{Value(p => p.DedupCosine)}: deduplication left no prototype");
    }

    /// <summary>
    /// Before mining: a warning through <paramref name="warn"/> when <paramref name="images"/> images are too few for
    /// any cluster to span more than <paramref name="minUniqueImages"/> distinct images.
    /// </summary>
    public static void WarnIfTooFewImages(int images, int minUniqueImages, Action<string> warn)
    {
        ArgumentNullException.ThrowIfNull(warn);
        if (images <= minUniqueImages)
        {
            warn(string.Create(
                CultureInfo.InvariantCulture,
                $"mining: warning: {images} images can never meet --min-unique-images {minUniqueImages} (a cluster needs MORE than {minUniqueImages} distinct images), so the codebook will be empty; lower it below {images}"));
        }
    }
}
