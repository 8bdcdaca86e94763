using Microsoft.Extensions.DependencyInjection;
using Mining.Grains.Execution;

namespace Mining.Grains.Tests.Cluster;

/// <summary>Image shards run only on worker silos, a job's shards spread evenly over them.</summary>
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
    public async Task A_jobs_shards_are_spread_evenly_over_the_workers()
    {
        var status = await fixture.MainJobAsync();

        // Six shards, two workers: three each (Orleans' load-based placement put all six on one worker).
        var workers = fixture.Cluster.Silos.Where(s => s.Name != ClusterFixture.GatewaySilo).Select(s => s.SiloAddress.ToParsableString()).Order(StringComparer.Ordinal);
        var perWorker = workers.Select(worker => status.Shards.Count(shard => shard.Silo == worker)).ToArray();
        Assert.Equal([3, 3], perWorker);
    }

    [Fact]
    public async Task The_gateway_silo_mines_no_image()
    {
        await fixture.MainJobAsync();

        var gateway = fixture.Cluster.Silos.Single(s => s.Name == ClusterFixture.GatewaySilo);
        Assert.Equal(0, gateway.ServiceProvider.GetRequiredService<InferenceExecutor>().ImagesProcessed(ClusterFixture.MainJobId));
    }
}
