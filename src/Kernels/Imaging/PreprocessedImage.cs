namespace Mining.Kernels.Imaging;

/// <summary>One image ready for the vision tower: the cropped uint8 image (for heatmaps) and its CHW float32 pixel values.</summary>
/// <param name="Cropped">The image after padding, resizing and centre cropping, before rescaling.</param>
/// <param name="PixelValues">Rescaled and normalised values, channels first: index <c>(c * Height + y) * Width + x</c>.</param>
public sealed record PreprocessedImage(RgbImage Cropped, float[] PixelValues, int Channels, int Height, int Width);
