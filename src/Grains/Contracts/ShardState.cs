namespace Mining.Grains.Contracts;

/// <summary>Where an image shard is.</summary>
[GenerateSerializer]
[Alias("Mining.ShardState")]
public enum ShardState
{
    /// <summary>Not started.</summary>
    None,

    /// <summary>Mining its images.</summary>
    Running,

    /// <summary>Every image has a stored result.</summary>
    Completed,

    /// <summary>Stopped by a cancel; resumable.</summary>
    Cancelled,
}
