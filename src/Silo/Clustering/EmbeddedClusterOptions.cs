using Microsoft.Extensions.Logging;
using Mining.Silo.Hosting;

namespace Mining.Silo.Clustering;

/// <summary>What an <see cref="EmbeddedCluster"/> starts.</summary>
public sealed record EmbeddedClusterOptions
{
    /// <summary>Worker silos in this process (the first is the primary).</summary>
    public int Silos { get; init; } = 1;

    /// <summary>The artifact folder all silos share.</summary>
    public required string ArtifactRoot { get; init; }

    /// <summary>Device, dtype, threads and batch size of every silo.</summary>
    public ComputeOptions Compute { get; init; } = new();

    /// <summary>Log messages at or above this level go to stderr.</summary>
    public LogLevel MinimumLogLevel { get; init; } = LogLevel.Warning;

    /// <summary>Cluster id, distinct from a standalone cluster's so that the two never merge.</summary>
    public string ClusterId { get; init; } = "mining-embedded";
}
