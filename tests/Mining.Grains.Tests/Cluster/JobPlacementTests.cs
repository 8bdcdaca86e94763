using Mining.Grains.Contracts;

namespace Mining.Grains.Tests.Cluster;

/// <summary>Job and codebook grains live on the gateway silo, and a job's status says where both live.</summary>
[Collection(ClusterCollection.Name)]
public sealed class JobPlacementTests(ClusterFixture fixture)
{
    private string GatewayEndpoint => fixture.Cluster.Silos.Single(s => s.Name == ClusterFixture.GatewaySilo).SiloAddress.Endpoint.ToString();

    private IManagementGrain Management => fixture.Client.GetGrain<IManagementGrain>(0);

    [Fact]
    public async Task Job_and_codebook_grains_live_on_the_gateway_silo_and_the_status_says_so()
    {
        await fixture.MainJobAsync();

        // Asking the codebook activates it (placed anew if it was collected since the job built it).
        await fixture.Client.GetGrain<ICodebookGrain>(ClusterFixture.MainJobId).GetVersions();
        var status = await fixture.Job(ClusterFixture.MainJobId).GetStatus();
        var jobAddress = await Management.GetActivationAddress(fixture.Job(ClusterFixture.MainJobId), TestContext.Current.CancellationToken);
        var codebookAddress = await Management.GetActivationAddress(fixture.Client.GetGrain<ICodebookGrain>(ClusterFixture.MainJobId), TestContext.Current.CancellationToken);

        Assert.Equal(GatewayEndpoint, jobAddress?.Endpoint.ToString());
        Assert.Equal(GatewayEndpoint, codebookAddress?.Endpoint.ToString());
        Assert.Equal(GatewayEndpoint, status.JobSilo);
        Assert.Equal(GatewayEndpoint, status.CodebookSilo);
    }

    [Fact]
    public async Task Codebook_silo_is_null_until_the_codebook_grain_is_active_and_asking_does_not_activate_it()
    {
        var jobId = "placement-book-later";
        var hold = fixture.Faults.Hold(jobId, "brick");
        try
        {
            await fixture.Job(jobId).Submit(ClusterFixture.Spec(jobId, fixture.TwoImages, jobId));
            await hold.Entered;

            var first = await fixture.Job(jobId).GetStatus();
            var second = await fixture.Job(jobId).GetStatus();
            hold.Release();
            var ended = await fixture.WaitForJobAsync(jobId, s => s.State is JobState.Completed or JobState.Failed or JobState.Cancelled);
            var afterwards = await fixture.Job(jobId).GetStatus();

            Assert.Equal(JobState.Running, first.State);
            Assert.Null(first.CodebookSilo);
            Assert.Null(second.CodebookSilo);
            Assert.Equal(GatewayEndpoint, first.JobSilo);
            Assert.Equal(JobState.Completed, ended.State);
            Assert.Equal(GatewayEndpoint, afterwards.CodebookSilo);
        }
        finally
        {
            hold.Release();
        }
    }
}
