namespace Mining.Silo.Hosting;

/// <summary>The cluster and service ids silos and clients use unless configured otherwise.</summary>
public static class ClusterDefaults
{
    /// <summary>Default Orleans cluster id.</summary>
    public const string ClusterId = "mining";

    /// <summary>Default Orleans service id.</summary>
    public const string ServiceId = "mining";
}
