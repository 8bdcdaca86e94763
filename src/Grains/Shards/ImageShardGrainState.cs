using Mining.Grains.Contracts;

namespace Mining.Grains.Shards;

/// <summary>What an image shard persists: its assignment, where it is, and counts — never image data.</summary>
[GenerateSerializer]
[Alias("Mining.ImageShardGrainState")]
public sealed record ImageShardGrainState
{
    /// <summary>The images to mine; null until <c>Start</c>.</summary>
    [Id(0)]
    public ShardAssignment? Assignment { get; set; }

    /// <summary>Where the shard is.</summary>
    [Id(1)]
    public ShardState State { get; set; }

    /// <summary>Position in <see cref="ShardAssignment.Images"/> of the next image to mine; every earlier one has a stored result.</summary>
    [Id(2)]
    public int Next { get; set; }

    /// <summary>Images with a stored result (ok or failed).</summary>
    [Id(3)]
    public int Done { get; set; }

    /// <summary>Of those, failed images.</summary>
    [Id(4)]
    public int Failed { get; set; }

    /// <summary>The failed images and why.</summary>
    [Id(5)]
    public List<ImageFailureInfo> Failures { get; set; } = [];

    /// <summary>Executor faults seen (attempts that threw), over all images.</summary>
    [Id(6)]
    public int Attempts { get; set; }

    /// <summary>Faults seen on the image at <see cref="Next"/>.</summary>
    [Id(7)]
    public int ImageAttempts { get; set; }

    /// <summary>Variants the model scored for this shard's images.</summary>
    [Id(8)]
    public long VariantsScored { get; set; }

    /// <summary>The last error that interrupted the shard (cleared when an image completes).</summary>
    [Id(9)]
    public string? Error { get; set; }
}
