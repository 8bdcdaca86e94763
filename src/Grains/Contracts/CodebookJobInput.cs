namespace Mining.Grains.Contracts;

/// <summary>A completed job's results for the codebook grain: where they are stored and how they were mined.</summary>
[GenerateSerializer]
[Alias("Mining.CodebookJobInput")]
public sealed record CodebookJobInput(
    [property: Id(0)] string JobId,
    [property: Id(1)] string ParametersJson,
    [property: Id(2)] string ModelId,
    [property: Id(3)] int HiddenSize,
    [property: Id(4)] int ImageCount)
{
    /// <summary>The mined model's family ("llava", "onevision", "next"), recorded as <c>mining.family</c>; null from a job stored before it was kept.</summary>
    [Id(5)]
    public string? Family { get; init; }
}
