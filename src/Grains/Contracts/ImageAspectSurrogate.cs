using Mining.Kernels.Imaging;

namespace Mining.Grains.Contracts;

/// <summary>How <see cref="ImageAspect"/> (a Kernels enum, which never mentions Orleans) crosses the wire and is persisted.</summary>
[GenerateSerializer]
[Alias("Mining.ImageAspect")]
public struct ImageAspectSurrogate
{
    /// <summary>The enum's value: 0 crop, 1 pad.</summary>
    [Id(0)] public int Value;
}
