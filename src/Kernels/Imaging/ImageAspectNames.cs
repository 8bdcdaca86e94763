namespace Mining.Kernels.Imaging;

/// <summary>The option values that name an <see cref="ImageAspect"/>: <c>crop</c> and <c>pad</c> (ARCHITECTURE §1, <c>image_aspect</c>).</summary>
public static class ImageAspectNames
{
    /// <summary>Every name, in the enum's order.</summary>
    public static IReadOnlyList<string> All { get; } = ["crop", "pad"];

    /// <summary>The lower-case name of <paramref name="aspect"/>.</summary>
    public static string Name(ImageAspect aspect) => aspect switch
    {
        ImageAspect.Crop => "crop",
        ImageAspect.Pad => "pad",
        _ => throw new ArgumentOutOfRangeException(nameof(aspect), aspect, "not an image aspect"),
    };

    /// <summary>The aspect <paramref name="name"/> names, ignoring case; false for any other text.</summary>
    public static bool TryParse(string? name, out ImageAspect aspect)
    {
        aspect = ImageAspect.Crop;
        if (string.Equals(name, "crop", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        aspect = ImageAspect.Pad;
        return string.Equals(name, "pad", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>"must be 'crop' or 'pad', got 'x'": the problem with a name that is neither.</summary>
    public static string Problem(string? name) => $"must be 'crop' or 'pad', got '{name}'";
}
