namespace Mining.Silo.Clustering;

/// <summary>Who holds a cluster certificate: a silo (server and client of TLS connections) or a client of the gateways.</summary>
public enum ClusterParty
{
    /// <summary>A silo: its certificate must allow server and client authentication.</summary>
    Silo,

    /// <summary>A client (the CLI with <c>--cluster</c>): its certificate must allow client authentication.</summary>
    Client,
}
