using Microsoft.Extensions.DependencyInjection;
using Mining.Grains.Contracts;
using Mining.Grains.Execution;

namespace Mining.Grains.Tests.Cluster;

/// <summary>Every silo reports its executor's totals to the cluster metrics grain, under its own name.</summary>
[Collection(ClusterCollection.Name)]
public sealed class ClusterMetricsTests(ClusterFixture fixture)
{
    [Fact]
    public async Task The_cluster_metrics_grain_holds_each_silo_s_executor_totals_under_the_silo_s_name()
    {
        await fixture.MainJobAsync();
        var metrics = fixture.Client.GetGrain<IClusterMetricsGrain>(0);
        var executors = fixture.Cluster.Silos.ToDictionary(
            silo => silo.ServiceProvider.GetRequiredService<ILocalSiloDetails>().Name,
            silo => silo.ServiceProvider.GetRequiredService<InferenceExecutor>());
        IReadOnlyList<SiloMiningReport> reports = [];

        // The reports trail the executors by up to one report interval; once the cluster is idle they meet.
        await ClusterFixture.WaitForAsync(
            async () =>
            {
                reports = await metrics.Snapshot();
                return reports.Count == executors.Count
                    && reports.All(r => executors.TryGetValue(r.Silo, out var executor) && r.ImagesProcessed == executor.Metrics.ImagesProcessed
                        && r.VariantsScored == executor.Metrics.VariantsScored && r.ForwardCalls == executor.Metrics.ForwardCalls);
            },
            "every silo's report to match its executor");

        Assert.Equal(executors.Keys.Order(StringComparer.Ordinal), reports.Select(r => r.Silo));
        Assert.Equal(0, reports.Single(r => r.Silo == ClusterFixture.GatewaySilo).ImagesProcessed);
        Assert.True(reports.Sum(r => r.ImagesProcessed) >= 6, "the main job's six images were mined on the workers");
    }
}
