using Orleans.Placement;

namespace Mining.Grains.Placement;

/// <summary>Places the grain class only on worker silos (see <see cref="WorkerPlacementFilterDirector"/>).</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class WorkerPlacementFilterAttribute() : PlacementFilterAttribute(new WorkerPlacementFilterStrategy());
