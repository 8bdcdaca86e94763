using Orleans.Placement;
using Orleans.Runtime.MembershipService.SiloMetadata;
using Orleans.Runtime.Placement;

namespace Mining.Grains.Placement;

/// <summary>
/// Keeps the silos whose metadata says <c>role=worker</c>. A silo whose metadata this silo has not fetched yet
/// (it just joined) is left out until it is known, rather than risking a shard on a gateway.
/// </summary>
public sealed class WorkerPlacementFilterDirector(ISiloMetadataCache metadata) : IPlacementFilterDirector
{
    /// <inheritdoc />
    public IEnumerable<SiloAddress> Filter(PlacementFilterStrategy filterStrategy, PlacementTarget target, IEnumerable<SiloAddress> silos) =>
        silos.Where(silo => SiloRoles.Has(metadata, silo, SiloRoles.Worker));
}
