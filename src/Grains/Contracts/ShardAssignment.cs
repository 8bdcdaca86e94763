using Mining.Kernels.Imaging;

namespace Mining.Grains.Contracts;

/// <summary>What a shard grain mines.</summary>
[GenerateSerializer]
[Alias("Mining.ShardAssignment")]
// Id 6 held the image aspect as a string; it is retired, not reused: an assignment stored with it reads as crop.
public sealed record ShardAssignment(
    [property: Id(0)] string JobId,
    [property: Id(1)] int ShardIndex,
    [property: Id(2)] IReadOnlyList<ShardImage> Images,
    [property: Id(3)] string Model,
    [property: Id(4)] string ParametersJson,
    [property: Id(5)] bool AllTokens,
    [property: Id(7)] ImageAspect ImageAspect);
