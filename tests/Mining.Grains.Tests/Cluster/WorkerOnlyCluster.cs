using Mining.Grains.Hosting;
using Mining.Testing;
using Orleans.TestingHost;

namespace Mining.Grains.Tests.Cluster;

/// <summary>An in-process cluster of two worker silos and no gateway, as the embedded cluster is.</summary>
public sealed class WorkerOnlyCluster : IAsyncLifetime
{
    private InProcessTestCluster? cluster;

    public InProcessTestCluster Cluster => cluster ?? throw new InvalidOperationException("the cluster is not deployed");

    public async ValueTask InitializeAsync()
    {
        var artifacts = TestData.NewTempFolder();
        var builder = new InProcessTestClusterBuilder(2);
        builder.Options.ConfigureFileLogging = false;
        builder.ConfigureSilo((_, siloBuilder) =>
        {
            siloBuilder.AddMemoryGrainStorage(MiningGrainStorage.Name);
            siloBuilder.AddMiningGrains(options =>
            {
                options.ArtifactRoot = artifacts;
                options.IsWorker = true;
            });
        });
        cluster = builder.Build();
        await cluster.DeployAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (cluster is not null)
        {
            await cluster.DisposeAsync();
        }
    }
}
