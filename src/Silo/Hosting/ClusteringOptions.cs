namespace Mining.Silo.Hosting;

/// <summary>How silos find each other, bound from <c>Mining:Clustering</c>.</summary>
public sealed record ClusteringOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Mining:Clustering";

    /// <summary>Development (default, membership in the primary silo) or Redis.</summary>
    public ClusteringProvider Provider { get; init; } = ClusteringProvider.Development;

    /// <summary>StackExchange.Redis configuration string (e.g. <c>127.0.0.1:6379</c>); required when <see cref="Provider"/> is Redis.</summary>
    public string? RedisConnectionString { get; init; }
}
