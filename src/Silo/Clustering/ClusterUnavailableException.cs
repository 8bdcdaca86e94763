namespace Mining.Silo.Clustering;

/// <summary>No silo of the cluster could be reached at the given gateways.</summary>
public sealed class ClusterUnavailableException(string message, Exception? inner = null) : Exception(message, inner);
