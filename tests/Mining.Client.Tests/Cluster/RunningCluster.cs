using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Mining.Silo.Clustering;
using Mining.Silo.Hosting;

namespace Mining.Client.Tests.Cluster;

/// <summary>
/// A cluster the CLI reaches with <c>--cluster</c>: one silo started in the test process (as <c>src/Silo</c> would
/// start it, on a free port), with the default cluster id, and its artifact folder.
/// </summary>
public sealed class RunningCluster : IAsyncLifetime
{
    private EmbeddedCluster? cluster;

    /// <summary>The silo's artifact folder (<c>--artifacts</c>).</summary>
    public string ArtifactRoot { get; } = TestData.NewTempFolder();

    /// <summary>The <c>--cluster</c> value.</summary>
    public string Gateway => string.Create(CultureInfo.InvariantCulture, $"127.0.0.1:{(cluster ?? throw new InvalidOperationException("not started")).Gateways[0].Port}");

    /// <summary>The silo's silo-to-silo endpoint (<c>HOST:PORT</c>), as <c>jobs status --json</c> names it.</summary>
    public string SiloEndpoint => (cluster ?? throw new InvalidOperationException("not started")).SiloServices[0].GetRequiredService<ILocalSiloDetails>().SiloAddress.Endpoint.ToString();

    public async ValueTask InitializeAsync() =>
        cluster = await EmbeddedCluster.StartAsync(new EmbeddedClusterOptions { ArtifactRoot = ArtifactRoot, ClusterId = ClusterDefaults.ClusterId });

    public async ValueTask DisposeAsync()
    {
        if (cluster is not null)
        {
            await cluster.DisposeAsync();
        }
    }
}
