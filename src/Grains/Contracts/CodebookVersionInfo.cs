using Mining.Kernels.Pipeline;

namespace Mining.Grains.Contracts;

/// <summary>One stored version of a named codebook.</summary>
[GenerateSerializer]
[Alias("Mining.CodebookVersionInfo")]
public sealed record CodebookVersionInfo(
    [property: Id(0)] string Name,
    [property: Id(1)] int Version,
    [property: Id(2)] IReadOnlyList<string> JobIds,
    [property: Id(3)] int Prototypes,
    [property: Id(4)] int AddedPrototypes,
    [property: Id(5)] string Model,
    [property: Id(6)] int HiddenSize,
    [property: Id(7)] string ParametersJson,
    [property: Id(8)] DateTime CreatedUtc,
    [property: Id(9)] string ArtifactKey,
    [property: Id(10)] MiningStatistics Statistics);
