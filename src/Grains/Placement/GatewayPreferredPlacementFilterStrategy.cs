using Orleans.Placement;

namespace Mining.Grains.Placement;

/// <summary>A placement filter that leaves the gateway silos (silo metadata <c>role=gateway</c>) as candidates when there are any, and every silo otherwise.</summary>
/// <remarks>Orleans resolves filter strategies by type name and needs a parameterless constructor; order 0.</remarks>
public sealed class GatewayPreferredPlacementFilterStrategy() : PlacementFilterStrategy(order: 0);
