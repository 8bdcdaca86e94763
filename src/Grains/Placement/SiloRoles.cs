using Orleans.Runtime.MembershipService.SiloMetadata;

namespace Mining.Grains.Placement;

/// <summary>The silo metadata that says what a silo is for; image shards are placed only on workers.</summary>
public static class SiloRoles
{
    /// <summary>Silo metadata key of the role.</summary>
    public const string MetadataKey = "role";

    /// <summary>A silo that mines images (owns a device).</summary>
    public const string Worker = "worker";

    /// <summary>A silo that hosts jobs, codebooks and the client gateway but mines nothing.</summary>
    public const string Gateway = "gateway";

    /// <summary>Whether <paramref name="silo"/>'s metadata, as this silo knows it, says <paramref name="role"/>; false while it is not known yet.</summary>
    public static bool Has(ISiloMetadataCache metadata, SiloAddress silo, string role)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        return metadata.GetSiloMetadata(silo).Metadata.TryGetValue(MetadataKey, out var value)
            && string.Equals(value, role, StringComparison.Ordinal);
    }
}
