using Orleans.Placement;

namespace Mining.Grains.Placement;

/// <summary>A placement filter that leaves only worker silos (silo metadata <c>role=worker</c>) as candidates.</summary>
/// <remarks>Orleans resolves filter strategies by type name and needs a parameterless constructor; order 0.</remarks>
public sealed class WorkerPlacementFilterStrategy() : PlacementFilterStrategy(order: 0);
