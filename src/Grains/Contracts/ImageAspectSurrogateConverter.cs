using Mining.Kernels.Imaging;

namespace Mining.Grains.Contracts;

/// <summary>Converts <see cref="ImageAspect"/> to and from its wire form, <see cref="ImageAspectSurrogate"/>.</summary>
[RegisterConverter]
public sealed class ImageAspectSurrogateConverter : IConverter<ImageAspect, ImageAspectSurrogate>
{
    /// <inheritdoc />
    public ImageAspect ConvertFromSurrogate(in ImageAspectSurrogate surrogate) => (ImageAspect)surrogate.Value;

    /// <inheritdoc />
    public ImageAspectSurrogate ConvertToSurrogate(in ImageAspect value) => new() { Value = (int)value };
}
