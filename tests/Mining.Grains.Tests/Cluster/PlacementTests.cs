using Mining.Grains.Contracts;

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
        var executor = (Mining.Grains.Execution.InferenceExecutor)gateway.ServiceProvider.GetService(typeof(Mining.Grains.Execution.InferenceExecutor))!;
        Assert.Equal(0, executor.ImagesProcessed(ClusterFixture.MainJobId));
    }
}
