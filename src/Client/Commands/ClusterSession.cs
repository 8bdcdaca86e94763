using Mining.Grains.Artifacts;
using Mining.Silo.Clustering;

namespace Mining.Client.Commands;

/// <summary>The cluster a verb talks to: silos it started in this process, or a running cluster it connected to.</summary>
internal sealed class ClusterSession : IAsyncDisposable
{
    private readonly EmbeddedCluster? embedded;
    private readonly ClusterConnection? connection;
    private readonly string? temporaryArtifacts;

    private ClusterSession(EmbeddedCluster? embedded, ClusterConnection? connection, IArtifactStore? artifacts, string description, string? temporaryArtifacts)
    {
        this.embedded = embedded;
        this.connection = connection;
        this.temporaryArtifacts = temporaryArtifacts;
        Artifacts = artifacts;
        Description = description;
    }

    /// <summary>The client.</summary>
    public IClusterClient Client => embedded?.Client ?? connection!.Client;

    /// <summary>The cluster's artifact store as this process can read it, or null when it cannot (a cluster given without <c>--artifacts</c>).</summary>
    public IArtifactStore? Artifacts { get; }

    /// <summary>"an embedded cluster of 3 silos" or "the cluster at 127.0.0.1:30000".</summary>
    public string Description { get; }

    /// <summary>Whether the silos live in this process (and the cluster's jobs end with it).</summary>
    public bool IsEmbedded => embedded is not null;

    /// <summary>Starts <paramref name="options"/>'s silos in this process; with <paramref name="temporaryArtifacts"/> their artifact folder is removed on dispose.</summary>
    public static async Task<ClusterSession> StartEmbeddedAsync(EmbeddedClusterOptions options, bool temporaryArtifacts, CancellationToken cancellation)
    {
        var cluster = await EmbeddedCluster.StartAsync(options, cancellation);
        var description = options.Silos == 1 ? "an embedded cluster of 1 silo" : $"an embedded cluster of {options.Silos} silos";
        return new ClusterSession(cluster, null, new LocalFolderArtifactStore(cluster.ArtifactRoot), description, temporaryArtifacts ? cluster.ArtifactRoot : null);
    }

    /// <summary>Connects to a running cluster (over TLS with <paramref name="certificates"/>); <paramref name="artifactRoot"/> is its shared artifact folder as seen from here, if known.</summary>
    public static async Task<ClusterSession> ConnectAsync(
        IReadOnlyList<System.Net.IPEndPoint> gateways, string clusterId, ClusterCertificates? certificates, string? artifactRoot, CancellationToken cancellation)
    {
        // The gateway must show a silo certificate of the cluster's CA, as the silos ask of each other.
        var connection = await ClusterConnection.ConnectAsync(gateways, clusterId, tls: certificates?.For(ClusterParty.Silo), cancellation: cancellation);
        var artifacts = artifactRoot is null ? null : new LocalFolderArtifactStore(artifactRoot);
        return new ClusterSession(null, connection, artifacts, $"the cluster at {string.Join(", ", gateways)}", null);
    }

    /// <summary>Stops the embedded silos (or disconnects) and removes a temporary artifact folder.</summary>
    public async ValueTask DisposeAsync()
    {
        if (embedded is not null)
        {
            await embedded.DisposeAsync();
        }

        if (connection is not null)
        {
            await connection.DisposeAsync();
        }

        if (temporaryArtifacts is not null && Directory.Exists(temporaryArtifacts))
        {
            Directory.Delete(temporaryArtifacts, recursive: true);
        }
    }
}
