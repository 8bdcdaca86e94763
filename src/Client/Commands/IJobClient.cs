using Mining.Grains.Contracts;

namespace Mining.Client.Commands;

/// <summary>What the <c>jobs</c> verbs do to a cluster's jobs: through Orleans (<see cref="GrainJobClient"/>) or the gateway's HTTP API (<see cref="ApiJobClient"/>).</summary>
internal interface IJobClient : IAsyncDisposable
{
    /// <summary>"the cluster at 127.0.0.1:30000", "the gateway at http://127.0.0.1:8080/".</summary>
    string Description { get; }

    /// <summary>Whether the silos live in this process (and the cluster's jobs end with it).</summary>
    bool IsEmbedded { get; }

    /// <summary>Submits <paramref name="spec"/>; a refused spec raises <see cref="ArgumentException"/> naming the option.</summary>
    Task<JobStatus> SubmitAsync(JobSpec spec, CancellationToken cancellation);

    /// <summary>The cluster's jobs, oldest first.</summary>
    Task<IReadOnlyList<JobStatus>> ListAsync(CancellationToken cancellation);

    /// <summary>The job's status; <see cref="KeyNotFoundException"/> when the cluster never heard of it.</summary>
    Task<JobStatus> StatusAsync(string jobId, CancellationToken cancellation);

    /// <summary>Cancels the job.</summary>
    Task<JobStatus> CancelAsync(string jobId, CancellationToken cancellation);

    /// <summary>Resumes a cancelled or failed job.</summary>
    Task<JobStatus> ResumeAsync(string jobId, CancellationToken cancellation);
}
