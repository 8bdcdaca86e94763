namespace Mining.Grains.Contracts;

/// <summary>
/// A slice of a job's images, keyed "{jobId}/{shardIndex}", placed on worker silos: mines each image through its
/// silo's executor and stores the result before counting it done; on reactivation it resumes from the store.
/// </summary>
[Alias("Mining.IImageShardGrain")]
public interface IImageShardGrain : IGrainWithStringKey
{
    /// <summary>Starts (or, if already assigned, continues) mining the assignment.</summary>
    [Alias("Start")]
    Task<ShardStatus> Start(ShardAssignment assignment);

    /// <summary>The shard's progress; activating the grain resumes unfinished work.</summary>
    [Alias("GetStatus")]
    Task<ShardStatus> GetStatus();

    /// <summary>Stops after the image in hand.</summary>
    [Alias("Cancel")]
    Task<ShardStatus> Cancel();
}
