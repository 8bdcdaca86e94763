using Mining.Grains.Contracts;

namespace Mining.Client.Commands;

/// <summary>The jobs of a cluster this process reaches through Orleans (a running cluster's gateway, or silos it started).</summary>
internal sealed class GrainJobClient(ClusterSession session) : IJobClient
{
    /// <inheritdoc />
    public string Description => session.Description;

    /// <inheritdoc />
    public bool IsEmbedded => session.IsEmbedded;

    /// <inheritdoc />
    public Task<JobStatus> SubmitAsync(JobSpec spec, CancellationToken cancellation) => JobRun.SubmitAsync(session.Client, spec);

    /// <inheritdoc />
    public async Task<IReadOnlyList<JobStatus>> ListAsync(CancellationToken cancellation)
    {
        var ids = await session.Client.GetGrain<IRegistryGrain>(0).ListJobs();
        return await Task.WhenAll(ids.Select(id => session.Client.GetGrain<IMiningJobGrain>(id).GetStatus()));
    }

    /// <inheritdoc />
    public Task<JobStatus> StatusAsync(string jobId, CancellationToken cancellation) => JobWatcher.StatusAsync(session.Client, jobId);

    /// <inheritdoc />
    public async Task<JobStatus> CancelAsync(string jobId, CancellationToken cancellation)
    {
        await JobWatcher.StatusAsync(session.Client, jobId);
        return await session.Client.GetGrain<IMiningJobGrain>(jobId).Cancel();
    }

    /// <inheritdoc />
    public async Task<JobStatus> ResumeAsync(string jobId, CancellationToken cancellation)
    {
        await JobWatcher.StatusAsync(session.Client, jobId);
        return await session.Client.GetGrain<IMiningJobGrain>(jobId).Resume();
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => session.DisposeAsync();
}
