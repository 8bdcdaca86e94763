namespace Mining.Grains.Placement;

/// <summary>
/// Spreads the shards of a job over the silos it may use in turn: shard i of a job goes to compatible silo
/// (offset(job) + i) mod n, silos ordered by address (see <see cref="ShardSpreadPlacementDirector"/>).
/// </summary>
[Serializable, GenerateSerializer, Immutable, SuppressReferenceTracking]
[Alias("Mining.ShardSpreadPlacementStrategy")]
public sealed class ShardSpreadPlacementStrategy : PlacementStrategy;
