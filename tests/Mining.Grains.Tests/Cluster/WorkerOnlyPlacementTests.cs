using Mining.Grains.Contracts;

namespace Mining.Grains.Tests.Cluster;

/// <summary>Without a gateway silo, job and codebook grains are still placed: on some worker.</summary>
public sealed class WorkerOnlyPlacementTests(WorkerOnlyCluster fixture) : IClassFixture<WorkerOnlyCluster>
{
    private IClusterClient Client => fixture.Cluster.Client;

    private string[] SiloEndpoints => fixture.Cluster.Silos.Select(s => s.SiloAddress.Endpoint.ToString()).ToArray();

    [Fact]
    public async Task A_job_grain_lives_on_some_worker_and_its_status_names_that_silo()
    {
        var job = Client.GetGrain<IMiningJobGrain>("workers-only-job");

        var status = await job.GetStatus();
        var address = await Client.GetGrain<IManagementGrain>(0).GetActivationAddress(job, TestContext.Current.CancellationToken);

        Assert.Contains(status.JobSilo, SiloEndpoints);
        Assert.Equal(address?.Endpoint.ToString(), status.JobSilo);
        Assert.Null(status.CodebookSilo);
    }

    [Fact]
    public async Task A_codebook_grain_lives_on_some_worker()
    {
        var codebook = Client.GetGrain<ICodebookGrain>("workers-only-book");

        Assert.Empty(await codebook.GetVersions());
        var address = await Client.GetGrain<IManagementGrain>(0).GetActivationAddress(codebook, TestContext.Current.CancellationToken);

        Assert.Contains(address?.Endpoint.ToString(), SiloEndpoints);
    }
}
