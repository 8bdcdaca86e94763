using Orleans.Placement;
using Orleans.Runtime.MembershipService.SiloMetadata;
using Orleans.Runtime.Placement;

namespace Mining.Grains.Placement;

/// <summary>
/// Keeps the silos whose metadata says <c>role=gateway</c> when there is at least one, and all the silos it was given
/// when there is none: job and codebook grains load no model, so a gateway is their natural home, but a cluster of
/// workers only (the embedded cluster) or one whose gateways are all down must still place them. A silo whose metadata
/// this silo has not fetched yet counts as no gateway, so a just-joined gateway is passed over rather than waited for.
/// </summary>
public sealed class GatewayPreferredPlacementFilterDirector(ISiloMetadataCache metadata) : IPlacementFilterDirector
{
    /// <inheritdoc />
    public IEnumerable<SiloAddress> Filter(PlacementFilterStrategy filterStrategy, PlacementTarget target, IEnumerable<SiloAddress> silos)
    {
        var candidates = silos.ToArray();
        var gateways = candidates.Where(silo => SiloRoles.Has(metadata, silo, SiloRoles.Gateway)).ToArray();
        return gateways.Length > 0 ? gateways : candidates;
    }
}
