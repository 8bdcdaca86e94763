namespace Mining.Silo.Hosting;

/// <summary>One silo's place in the cluster, bound from <c>Mining:Silo</c>.</summary>
public sealed record SiloHostOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Mining:Silo";

    /// <summary>Name shown in shard statuses and logs; empty means <c>silo-{SiloPort}</c>.</summary>
    public string? Name { get; init; }

    /// <summary>Worker (mines) or gateway (orchestrates only).</summary>
    public SiloRole Role { get; init; } = SiloRole.Worker;

    /// <summary>Port for silo-to-silo traffic.</summary>
    public int SiloPort { get; init; } = 11111;

    /// <summary>Port clients connect to (<c>mining ... --cluster HOST:PORT</c>); 0 means the silo accepts no clients.</summary>
    public int GatewayPort { get; init; } = 30000;

    /// <summary>The IP address other silos and clients reach this silo at; 127.0.0.1 (default) keeps the cluster on this machine, any other address makes the silo port listen on all interfaces (the client port listens on <see cref="GatewayListenAddress"/>).</summary>
    public string AdvertisedAddress { get; init; } = "127.0.0.1";

    /// <summary>The primary silo's <c>HOST:SILOPORT</c> when this silo joins another; empty makes this silo the primary.</summary>
    public string? PrimarySiloEndpoint { get; init; }

    /// <summary>Orleans cluster id; every silo and client of one cluster uses the same.</summary>
    public string ClusterId { get; init; } = ClusterDefaults.ClusterId;

    /// <summary>Orleans service id; grain state is keyed by it, so it stays the same across deployments.</summary>
    public string ServiceId { get; init; } = ClusterDefaults.ServiceId;

    /// <summary>
    /// Absolute folders every dataset, image and model file a job reads must lie in (symbolic links followed). This
    /// silo checks them when it opens each file, whichever port the job came through; the HTTP API checks them early
    /// too. A standalone silo refuses to start without them; the embedded cluster of a local run sets none.
    /// </summary>
    public string[] AllowedRoots { get; init; } = [];

    /// <summary>The silo's name, defaulted.</summary>
    public string SiloName => string.IsNullOrWhiteSpace(Name) ? $"silo-{SiloPort}" : Name;

    /// <summary>
    /// The IP address the client port (<see cref="GatewayPort"/>) listens on, whatever <see cref="AdvertisedAddress"/> is:
    /// 127.0.0.1 (default) takes clients from this machine only; 0.0.0.0 from every interface.
    /// </summary>
    public string GatewayListenAddress { get; init; } = "127.0.0.1";
}
