using System.Diagnostics;
using Mining.Grains.Artifacts;
using Mining.Grains.Codebooks;
using Mining.Grains.Contracts;
using Mining.Kernels.Experiments;
using Mining.Kernels.IO;
using Mining.Probe.IO;
using Mining.Kernels.Pipeline;

namespace Mining.Client.Commands;

/// <summary>
/// A mining job from submission to files: submit the spec, follow the job, export its codebook version (and its
/// per-image results), and summarise it as the single-process run did.
/// </summary>
internal static class JobRun
{
    /// <summary>Submits <paramref name="spec"/>; a spec the job grain refuses raises <see cref="ArgumentException"/> naming the option.</summary>
    public static async Task<JobStatus> SubmitAsync(IClusterClient client, JobSpec spec)
    {
        try
        {
            return await client.GetGrain<IMiningJobGrain>(spec.JobId).Submit(spec);
        }
        catch (ArgumentException refused)
        {
            throw JobSpecOptions.InOptionTerms(refused);
        }
    }

    /// <summary>
    /// Runs <paramref name="spec"/> to its end: <paramref name="submitted"/> hears of the accepted job, then
    /// <paramref name="observe"/> of every status; on completion the codebook goes to <paramref name="codebookPath"/> and
    /// the per-image results to <paramref name="resultsPath"/> (if given; the session must reach the artifact store).
    /// Cancelling cancels the job. A version with no prototypes is written only with <paramref name="writeEmpty"/>,
    /// and never when every image failed, so a failed run leaves no empty codebook behind.
    /// </summary>
    public static async Task<JobOutcome> RunAsync(
        ClusterSession session,
        JobSpec spec,
        string codebookPath,
        string? resultsPath,
        Action<JobStatus> submitted,
        Func<JobStatus, Task> observe,
        CancellationToken cancellation,
        bool writeEmpty = true)
    {
        var clock = Stopwatch.StartNew();
        submitted(await SubmitAsync(session.Client, spec));
        JobStatus status;
        try
        {
            status = await JobWatcher.WatchAsync(session.Client, spec.JobId, observe, cancellation);
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
            await session.Client.GetGrain<IMiningJobGrain>(spec.JobId).Cancel();
            throw;
        }

        if (status.State != JobState.Completed)
        {
            return new JobOutcome(status, null);
        }

        var codebook = session.Client.GetGrain<ICodebookGrain>(spec.CodebookName);
        var version = (await codebook.GetVersions()).Single(v => v.Version == status.CodebookVersion);
        var written = version.Prototypes > 0 || (writeEmpty && status.Done > status.Failed);
        if (written)
        {
            await AtomicFile.WriteAsync(codebookPath, stream => codebook.ExportToAsync(status.CodebookVersion, stream, cancellation), CancellationToken.None);
        }

        if (resultsPath is not null)
        {
            await ExportResultsAsync(session.Artifacts ?? throw new InvalidOperationException("per-image results need the artifact store"), spec.JobId, resultsPath);
        }

        clock.Stop();
        return new JobOutcome(status, Summarise(status, version, codebookPath, resultsPath, clock.Elapsed.TotalSeconds), written);
    }

    /// <summary>Writes a job's stored per-image results, in dataset order, as one per-image results Parquet file.</summary>
    public static async Task ExportResultsAsync(IArtifactStore store, string jobId, string path)
    {
        var results = new List<ImageResult>();
        foreach (var key in await store.ListAsync(ArtifactKeys.ImageResultsPrefix(jobId)))
        {
            // Keys end in the zero-padded dataset index, so their ordinal order is the dataset's.
            results.Add(ArtifactCodec.DecodeImageResult(await store.GetAsync(key), key));
        }

        await ImageResultParquet.WriteAsync(results, path);
    }

    /// <summary>The single-process summary, from the job's status and the codebook version it built (whose parameters are the resolved ones).</summary>
    public static MiningSummary Summarise(JobStatus status, CodebookVersionInfo version, string codebookPath, string? resultsPath, double seconds)
    {
        var statistics = status.Statistics ?? version.Statistics;
        return new MiningSummary(
            Path.GetFullPath(codebookPath),
            resultsPath is null ? null : Path.GetFullPath(resultsPath),
            version.Model,
            status.Images,
            status.Done - status.Failed,
            status.Failed,
            status.Shards.OrderBy(s => s.ShardIndex).SelectMany(s => s.Failures).Select(f => new ImageFailure(f.ImageId, f.Reason)).ToArray(),
            statistics,
            seconds,
            version.ParametersJson);
    }

    /// <summary>"job X failed: why" / "job X was cancelled", for a job that did not complete.</summary>
    public static string Unfinished(JobStatus status) => status.State switch
    {
        JobState.Failed => $"job '{status.JobId}' failed: {status.Error ?? "no reason given"}",
        JobState.Cancelled => $"job '{status.JobId}' was cancelled ({status.Done} of {status.Images} images have stored results; 'mining jobs resume' continues it)",
        _ => $"job '{status.JobId}' is {status.State}",
    };
}
