using Mining.Grains.Contracts;

namespace Mining.Grains.Tests.Cluster;

/// <summary>Job and codebook grains live on the gateway silo.</summary>
[Collection(ClusterCollection.Name)]
public sealed class JobPlacementTests(ClusterFixture fixture)
{
    private string GatewayEndpoint => fixture.Cluster.Silos.Single(s => s.Name == ClusterFixture.GatewaySilo).SiloAddress.Endpoint.ToString();

    private IManagementGrain Management => fixture.Client.GetGrain<IManagementGrain>(0);

    [Fact]
    public async Task Job_and_codebook_grains_live_on_the_gateway_silo()
    {
        await fixture.MainJobAsync();

        // Asking the codebook activates it (placed anew if it was collected since the job built it).
        await fixture.Client.GetGrain<ICodebookGrain>(ClusterFixture.MainJobId).GetVersions();
        var jobAddress = await Management.GetActivationAddress(fixture.Job(ClusterFixture.MainJobId), TestContext.Current.CancellationToken);
        var codebookAddress = await Management.GetActivationAddress(fixture.Client.GetGrain<ICodebookGrain>(ClusterFixture.MainJobId), TestContext.Current.CancellationToken);

        Assert.Equal(GatewayEndpoint, jobAddress?.Endpoint.ToString());
        Assert.Equal(GatewayEndpoint, codebookAddress?.Endpoint.ToString());
    }
}
