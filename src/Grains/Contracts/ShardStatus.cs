namespace Mining.Grains.Contracts;

/// <summary>Progress of one image shard.</summary>
[GenerateSerializer]
[Alias("Mining.ShardStatus")]
public sealed record ShardStatus(
    [property: Id(0)] int ShardIndex,
    [property: Id(1)] ShardState State,
    [property: Id(2)] int Images,
    [property: Id(3)] int Done,
    [property: Id(4)] int Failed,
    [property: Id(5)] IReadOnlyList<ImageFailureInfo> Failures,
    [property: Id(6)] string? Silo,
    [property: Id(7)] string? Error,
    [property: Id(8)] int Attempts)
{
    /// <summary>Variants the model scored for the shard's images (for the job's statistics).</summary>
    [Id(9)]
    public long VariantsScored { get; init; }
}
