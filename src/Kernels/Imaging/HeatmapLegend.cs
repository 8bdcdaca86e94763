namespace Mining.Kernels.Imaging;

/// <summary>
/// What a redundancy heat map says about itself: a title naming the image and the model, and the thresholds the
/// score and the outlines were computed with (see <see cref="RedundancyHeatmap"/>).
/// </summary>
/// <param name="Image">The image's name, as the title shows it.</param>
/// <param name="ModelId">The model's id.</param>
/// <param name="Thresholds">The thresholds written out, e.g. "top1_thres 0.6, jsd_thres 0.0025, k_region 1, k_global 1".</param>
public sealed record HeatmapLegend(string Image, string ModelId, string Thresholds);
