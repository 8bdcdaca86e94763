namespace Mining.Kernels.Imaging;

/// <summary>How a non-square image becomes square before the vision tower (ARCHITECTURE §1, option <c>image_aspect</c>).</summary>
public enum ImageAspect
{
    /// <summary>Resize the shortest edge, then centre-crop: what <c>CLIPImageProcessor</c> does and what the reference mined with.</summary>
    Crop = 0,

    /// <summary>Pad to a square with the mean colour first (LLaVA-1.5's <c>expand2square</c>, its evaluation setting), then resize and crop.</summary>
    Pad = 1,
}
