using Mining.Grains.Contracts;

namespace Mining.Client.Commands;

/// <summary>Follows a job by polling its status until it completes, fails or is cancelled.</summary>
internal static class JobWatcher
{
    /// <summary>How often the status is asked for: often enough for a live bar, rare enough to cost the job nothing.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(250);

    /// <summary>Whether a job in <paramref name="state"/> has stopped for good (or until a resume).</summary>
    public static bool IsFinished(JobState state) => state is JobState.Completed or JobState.Failed or JobState.Cancelled;

    /// <summary>The job's status; <see cref="KeyNotFoundException"/> when the cluster never heard of it.</summary>
    public static async Task<JobStatus> StatusAsync(IClusterClient client, string jobId)
    {
        var status = await client.GetGrain<IMiningJobGrain>(jobId).GetStatus();
        return status.State == JobState.None
            ? throw new KeyNotFoundException($"job '{jobId}' is not known to the cluster ('mining jobs list' shows the jobs it has)")
            : status;
    }

    /// <summary>Reports the status after every poll and returns the finished one; cancelling stops the watching, not the job.</summary>
    public static Task<JobStatus> WatchAsync(IClusterClient client, string jobId, IProgress<JobStatus> progress, CancellationToken cancellation) =>
        WatchAsync(client, jobId, status =>
        {
            progress.Report(status);
            return Task.CompletedTask;
        }, cancellation);

    /// <summary>Reports the status <paramref name="jobs"/> gives after every poll and returns the finished one; cancelling stops the watching, not the job.</summary>
    public static async Task<JobStatus> WatchAsync(IJobClient jobs, string jobId, IProgress<JobStatus> progress, CancellationToken cancellation)
    {
        while (true)
        {
            var status = await jobs.StatusAsync(jobId, cancellation);
            progress.Report(status);
            if (IsFinished(status.State))
            {
                return status;
            }

            await Task.Delay(Interval, cancellation);
        }
    }

    /// <summary>Awaits <paramref name="observe"/> after every poll (it may read the artifact store) and returns the finished status.</summary>
    public static async Task<JobStatus> WatchAsync(IClusterClient client, string jobId, Func<JobStatus, Task> observe, CancellationToken cancellation)
    {
        while (true)
        {
            var status = await StatusAsync(client, jobId);
            await observe(status);
            if (IsFinished(status.State))
            {
                return status;
            }

            await Task.Delay(Interval, cancellation);
        }
    }
}
