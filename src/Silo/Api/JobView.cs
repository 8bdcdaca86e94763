using Mining.Grains.Contracts;
using Mining.Kernels.Pipeline;

namespace Mining.Silo.Api;

/// <summary>A job as <c>GET /jobs/{id}</c> shows it: state, counts, rate, ETA, shards and failures.</summary>
/// <param name="Id">The job id.</param>
/// <param name="State">Where the job is.</param>
/// <param name="Codebook">The codebook it adds a version to.</param>
/// <param name="CodebookVersion">The version it built (once completed).</param>
/// <param name="Images">Images in the dataset.</param>
/// <param name="Done">Images with a stored result (failed ones included).</param>
/// <param name="Ok">Images mined without failure.</param>
/// <param name="Failed">Images that failed (see <paramref name="Failures"/>).</param>
/// <param name="ImagesPerSecond">Done images over the time since the job started (until it finished).</param>
/// <param name="EtaSeconds">Seconds left at that rate while the job runs; null otherwise or before the first image.</param>
/// <param name="StartedUtc">When the job was accepted.</param>
/// <param name="FinishedUtc">When it completed or failed.</param>
/// <param name="Error">Why it failed.</param>
/// <param name="Shards">Per-shard progress.</param>
/// <param name="Failures">Every failed image with its reason.</param>
/// <param name="Statistics">What the job found (once completed).</param>
/// <param name="JobSilo">Silo-to-silo endpoint (<c>HOST:PORT</c>) of the silo hosting the job grain.</param>
/// <param name="CodebookSilo">Silo-to-silo endpoint of the silo hosting the codebook grain; null while it is not active.</param>
/// <param name="Links">Related URLs.</param>
public sealed record JobView(
    string Id,
    JobState State,
    string Codebook,
    int? CodebookVersion,
    int Images,
    int Done,
    int Ok,
    int Failed,
    double ImagesPerSecond,
    double? EtaSeconds,
    DateTime? StartedUtc,
    DateTime? FinishedUtc,
    string? Error,
    IReadOnlyList<ShardView> Shards,
    IReadOnlyList<ImageFailureView> Failures,
    MiningStatistics? Statistics,
    string? JobSilo,
    string? CodebookSilo,
    JobLinks Links)
{
    /// <summary>The view of <paramref name="status"/> at <paramref name="nowUtc"/> (for the rate of a running job).</summary>
    public static JobView From(JobStatus status, DateTime nowUtc)
    {
        ArgumentNullException.ThrowIfNull(status);
        var rate = Rate(status, nowUtc);
        var remaining = status.Images - status.Done;
        double? eta = status.State == JobState.Running && rate > 0 ? remaining / rate : null;
        var self = JobPaths.Job(status.JobId);
        var download = status.CodebookVersion is { } version ? CodebookPaths.Version(status.CodebookName, version) : null;
        return new JobView(
            status.JobId,
            status.State,
            status.CodebookName,
            status.CodebookVersion,
            status.Images,
            status.Done,
            status.Done - status.Failed,
            status.Failed,
            rate,
            eta,
            status.StartedUtc,
            status.FinishedUtc,
            status.Error,
            status.Shards.Select(ShardView.From).ToArray(),
            status.Shards.SelectMany(s => s.Failures.Select(f => new ImageFailureView(s.ShardIndex, f.ImageId, f.Reason))).ToArray(),
            status.Statistics,
            status.JobSilo,
            status.CodebookSilo,
            new JobLinks(self, $"{self}/cancel", CodebookPaths.Codebook(status.CodebookName), download));
    }

    /// <summary>Done images per second since the start, up to the finish (or now while the job runs).</summary>
    internal static double Rate(JobStatus status, DateTime nowUtc)
    {
        if (status.StartedUtc is not { } started || status.Done == 0)
        {
            return 0;
        }

        var seconds = ((status.FinishedUtc ?? nowUtc) - started).TotalSeconds;
        return seconds > 0 ? status.Done / seconds : 0;
    }
}
