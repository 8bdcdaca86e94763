namespace Mining.Silo.Hosting;

/// <summary>Where the cluster's membership (and the reminders) live, <c>Mining:Clustering:Provider</c>.</summary>
public enum ClusteringProvider
{
    /// <summary>The primary silo holds membership in memory and reminders are in memory: the embedded and single-machine profile.</summary>
    Development,

    /// <summary>Membership and reminders in Redis (<c>Mining:Clustering:RedisConnectionString</c>): any silo may stop and a new one join.</summary>
    Redis,
}
