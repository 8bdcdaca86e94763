namespace Mining.Silo.Tests.Cluster;

/// <summary>
/// The tests that run whole clusters of processes with <c>infra/local/cluster</c>: alone, so that their silos do not share
/// the CPU with other tests' work (a starved silo misses its membership probes) and mid-job faults land where intended.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class LocalClusterCollection
{
    /// <summary>The collection's name.</summary>
    public const string Name = "Local cluster processes";
}
