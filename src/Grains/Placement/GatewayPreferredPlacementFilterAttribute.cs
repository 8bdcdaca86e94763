using Orleans.Placement;

namespace Mining.Grains.Placement;

/// <summary>Places the grain class on gateway silos when any is active, else on any silo (see <see cref="GatewayPreferredPlacementFilterDirector"/>).</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class GatewayPreferredPlacementFilterAttribute() : PlacementFilterAttribute(new GatewayPreferredPlacementFilterStrategy());
