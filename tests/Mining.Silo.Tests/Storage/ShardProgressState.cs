using Mining.Grains.Contracts;

namespace Mining.Silo.Tests.Storage;

/// <summary>A grain state shaped like the mining grains' own: nested records, lists of records holding lists, a map and a blob of bytes.</summary>
[GenerateSerializer]
[Alias("Mining.Silo.Tests.ShardProgressState")]
public sealed record ShardProgressState
{
    /// <summary>The job the shard belongs to.</summary>
    [Id(0)]
    public string JobId { get; init; } = "";

    /// <summary>Where the shard is.</summary>
    [Id(1)]
    public ShardState State { get; init; }

    /// <summary>The images of the shard.</summary>
    [Id(2)]
    public List<ShardImage> Images { get; init; } = [];

    /// <summary>One status per attempt, each with its failures.</summary>
    [Id(3)]
    public List<ShardStatus> Attempts { get; init; } = [];

    /// <summary>Scores per image id.</summary>
    [Id(4)]
    public Dictionary<string, List<double>> Scores { get; init; } = [];

    /// <summary>Opaque bytes (a serialized partial result).</summary>
    [Id(5)]
    public byte[] Payload { get; init; } = [];
}
