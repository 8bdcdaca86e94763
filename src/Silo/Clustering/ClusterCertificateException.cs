namespace Mining.Silo.Clustering;

/// <summary>A cluster certificate, key or CA that cannot be used; the message names where it was given and never holds a password.</summary>
public sealed class ClusterCertificateException(string message, Exception? inner = null) : Exception(message, inner);
