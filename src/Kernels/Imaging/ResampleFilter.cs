namespace Mining.Kernels.Imaging;

/// <summary>Resampling filters of <see cref="PillowResampler"/>, numbered as PIL's <c>Image.Resampling</c> (and HF's <c>resample</c> field).</summary>
public enum ResampleFilter
{
    /// <summary>PIL <c>BILINEAR</c>: triangle filter, support 1.</summary>
    Bilinear = 2,

    /// <summary>PIL <c>BICUBIC</c>: cubic convolution with a = −0.5, support 2.</summary>
    Bicubic = 3,
}
