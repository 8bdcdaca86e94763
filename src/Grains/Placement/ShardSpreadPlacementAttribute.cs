using Orleans.Placement;

namespace Mining.Grains.Placement;

/// <summary>Places a shard grain with <see cref="ShardSpreadPlacementStrategy"/>.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class ShardSpreadPlacementAttribute() : PlacementAttribute(new ShardSpreadPlacementStrategy());
