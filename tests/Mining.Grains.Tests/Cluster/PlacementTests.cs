using Microsoft.Extensions.DependencyInjection;
using Mining.Grains.Execution;

namespace Mining.Grains.Tests.Cluster;

/// <summary>Image shards run only on worker silos.</summary>
[Collection(ClusterCollection.Name)]
public sealed class PlacementTests(ClusterFixture fixture)
{
    [Fact]
    public async Task Shards_are_placed_only_on_worker_silos()
    {
        var status = await fixture.MainJobAsync();

        var gateway = fixture.Cluster.Silos.Single(s => s.Name == ClusterFixture.GatewaySilo).SiloAddress.ToParsableString();
        var workers = fixture.Cluster.Silos.Where(s => s.Name != ClusterFixture.GatewaySilo).Select(s => s.SiloAddress.ToParsableString()).ToArray();
        Assert.Equal(6, status.Shards.Count);
        Assert.All(status.Shards, shard => Assert.Contains(shard.Silo, workers));
        Assert.DoesNotContain(status.Shards, shard => shard.Silo == gateway);
    }

    [Fact]
    public async Task The_gateway_silo_mines_no_image()
    {
        await fixture.MainJobAsync();

        var gateway = fixture.Cluster.Silos.Single(s => s.Name == ClusterFixture.GatewaySilo);
        Assert.Equal(0, gateway.ServiceProvider.GetRequiredService<InferenceExecutor>().ImagesProcessed(ClusterFixture.MainJobId));
    }
}
