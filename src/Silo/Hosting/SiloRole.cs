namespace Mining.Silo.Hosting;

/// <summary>What a silo does in the cluster.</summary>
public enum SiloRole
{
    /// <summary>Mines images on its device (and accepts clients when it has a gateway port).</summary>
    Worker,

    /// <summary>Accepts clients and hosts orchestration grains (jobs, codebooks) but never mines: no model, no device.</summary>
    Gateway,
}
