namespace Mining.Grains.Contracts;

/// <summary>An image that failed and why.</summary>
[GenerateSerializer]
[Alias("Mining.ImageFailureInfo")]
public sealed record ImageFailureInfo([property: Id(0)] string ImageId, [property: Id(1)] string Reason);
