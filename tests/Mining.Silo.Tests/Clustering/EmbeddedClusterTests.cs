using Mining.Silo.Clustering;
using Orleans.Runtime;

namespace Mining.Silo.Tests.Clustering;

public sealed class EmbeddedClusterTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public async Task Every_embedded_silo_joins_one_cluster_that_the_client_reaches(int silos)
    {
        await using var cluster = await EmbeddedCluster.StartAsync(
            new EmbeddedClusterOptions { Silos = silos, ArtifactRoot = TestData.NewTempFolder() },
            TestContext.Current.CancellationToken);
        var hosts = await cluster.Client.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true, TestContext.Current.CancellationToken);
        Assert.Equal(silos, hosts.Count);
        Assert.Equal(silos, cluster.Gateways.Count);
        Assert.All(hosts.Values, status => Assert.Equal(SiloStatus.Active, status));
    }

    [Fact]
    public async Task Disposing_stops_the_silos_and_frees_every_port()
    {
        var cluster = await EmbeddedCluster.StartAsync(
            new EmbeddedClusterOptions { Silos = 2, ArtifactRoot = TestData.NewTempFolder() },
            TestContext.Current.CancellationToken);
        var gatewayPorts = cluster.Gateways.Select(g => g.Port).ToArray();
        await cluster.DisposeAsync();
        Assert.All(gatewayPorts, port => Assert.True(FreePorts.IsFree(port), $"gateway port {port} is still held"));
    }

    [Fact]
    public async Task A_cluster_with_no_silos_is_refused()
    {
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() =>
            EmbeddedCluster.StartAsync(new EmbeddedClusterOptions { Silos = 0, ArtifactRoot = TestData.NewTempFolder() }, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Connecting_where_no_silo_listens_fails_naming_the_endpoint()
    {
        var port = FreePorts.Take(1)[0];
        var gateway = new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, port);
        var error = await Assert.ThrowsAsync<ClusterUnavailableException>(() => ClusterConnection.ConnectAsync([gateway], retryFor: TimeSpan.Zero, cancellation: TestContext.Current.CancellationToken));
        Assert.Contains(gateway.ToString(), error.Message, StringComparison.Ordinal);
    }
}
