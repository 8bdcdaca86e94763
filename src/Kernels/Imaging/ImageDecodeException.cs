namespace Mining.Kernels.Imaging;

/// <summary>An image file that is missing, empty, truncated or not in a format the decoder reads.</summary>
public sealed class ImageDecodeException : Exception
{
    public ImageDecodeException(string message)
        : base(message)
    {
    }

    public ImageDecodeException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
