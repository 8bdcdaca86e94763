using Mining.Grains.Contracts;

namespace Mining.Silo.Api;

/// <summary>A row of <c>GET /jobs</c>.</summary>
/// <param name="Id">The job id.</param>
/// <param name="State">Where the job is.</param>
/// <param name="Codebook">The codebook it adds a version to.</param>
/// <param name="CodebookVersion">The version it built (once completed).</param>
/// <param name="Images">Images in the dataset.</param>
/// <param name="Done">Images with a stored result (failed ones included).</param>
/// <param name="Failed">Images that failed.</param>
/// <param name="ImagesPerSecond">Done images over the time since the job started (until it finished).</param>
/// <param name="EtaSeconds">Seconds left at that rate while the job runs.</param>
/// <param name="StartedUtc">When the job was accepted.</param>
/// <param name="FinishedUtc">When it completed or failed.</param>
/// <param name="StatusUrl">The job's status.</param>
public sealed record JobSummary(
    string Id,
    JobState State,
    string Codebook,
    int? CodebookVersion,
    int Images,
    int Done,
    int Failed,
    double ImagesPerSecond,
    double? EtaSeconds,
    DateTime? StartedUtc,
    DateTime? FinishedUtc,
    string StatusUrl)
{
    /// <summary>The row of <paramref name="status"/> at <paramref name="nowUtc"/>.</summary>
    public static JobSummary From(JobStatus status, DateTime nowUtc)
    {
        var view = JobView.From(status, nowUtc);
        return new JobSummary(view.Id, view.State, view.Codebook, view.CodebookVersion, view.Images, view.Done, view.Failed, view.ImagesPerSecond, view.EtaSeconds, view.StartedUtc, view.FinishedUtc, view.Links.Self);
    }
}
