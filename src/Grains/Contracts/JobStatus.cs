using Mining.Kernels.Pipeline;

namespace Mining.Grains.Contracts;

/// <summary>A job's state, counts and timings (no big data).</summary>
[GenerateSerializer]
[Alias("Mining.JobStatus")]
public sealed record JobStatus(
    [property: Id(0)] string JobId,
    [property: Id(1)] JobState State,
    [property: Id(2)] string CodebookName,
    [property: Id(3)] int Images,
    [property: Id(4)] int Done,
    [property: Id(5)] int Failed,
    [property: Id(6)] IReadOnlyList<ShardStatus> Shards,
    [property: Id(7)] DateTime? StartedUtc,
    [property: Id(8)] DateTime? FinishedUtc,
    [property: Id(9)] int? CodebookVersion,
    [property: Id(10)] string? Error,
    [property: Id(11)] MiningStatistics? Statistics)
{
    /// <summary>Silo-to-silo endpoint (<c>HOST:PORT</c>) of the silo that hosts the job grain now.</summary>
    [Id(12)]
    public string? JobSilo { get; init; }

    /// <summary>
    /// Silo-to-silo endpoint (<c>HOST:PORT</c>) of the silo that hosts the job's codebook grain, as the grain directory
    /// last knew it; null while that grain is not active (asking does not activate it). Filled in by
    /// <see cref="IMiningJobGrain.GetStatus"/>.
    /// </summary>
    [Id(13)]
    public string? CodebookSilo { get; init; }
}
