using System.Globalization;
using Mining.Grains.Contracts;
using Mining.Kernels.Experiments;
using Mining.Kernels.Imaging;

namespace Mining.Silo.Tests.Cluster;

/// <summary>
/// A mining job of the fault tests: the fixture model on copies of the sample images (enough that a fault lands mid-job),
/// with parameters that give this random model prototypes; submitted and followed through an Orleans client.
/// </summary>
public sealed class ClusterJob
{
    /// <summary>How often the status is asked for while waiting.</summary>
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(200);

    /// <summary>The demo's parameters (the paper's scaled to a few random-weight images), so that the codebook is not empty.</summary>
    public static readonly MiningParameters Parameters = new()
    {
        Top1Thres = 0.235,
        JsdThres = 0.04,
        PrototypeClusters = 8,
        MinUniqueImages = 2,
    };

    private ClusterJob(JobSpec spec, IReadOnlyList<string> imageIds)
    {
        Spec = spec;
        ImageIds = imageIds;
    }

    /// <summary>What is submitted.</summary>
    public JobSpec Spec { get; }

    /// <summary>The dataset's image ids in dataset order (file stems, sorted ordinally).</summary>
    public IReadOnlyList<string> ImageIds { get; }

    /// <summary>The job id.</summary>
    public string Id => Spec.JobId;

    /// <summary>
    /// Writes <paramref name="copies"/> renamed copies of every sample image to <paramref name="folder"/> and makes a job of them, on
    /// <paramref name="model"/> (default: the llava-tiny-ref fixture) with <paramref name="parameters"/> (default: the demo's).
    /// </summary>
    public static ClusterJob Create(string jobId, int copies, string folder, string? model = null, MiningParameters? parameters = null)
    {
        Directory.CreateDirectory(folder);
        var ids = new List<string>();
        for (var copy = 0; copy < copies; copy++)
        {
            foreach (var sample in Directory.EnumerateFiles(TestData.Samples).Where(IsImage))
            {
                var id = $"c{copy.ToString(CultureInfo.InvariantCulture)}-{Path.GetFileNameWithoutExtension(sample)}";
                File.Copy(sample, Path.Combine(folder, id + Path.GetExtension(sample)));
                ids.Add(id);
            }
        }

        ids.Sort(StringComparer.Ordinal);
        return new ClusterJob(
            new JobSpec(jobId, folder, model ?? TestData.FixtureModel, jobId, (parameters ?? Parameters).ToJson(), AllTokens: true, ImageAspect.Crop, ImagesPerShard: 4, ModelId: null),
            ids);
    }

    /// <summary>The same images and parameters under another job id and codebook.</summary>
    public ClusterJob Again(string jobId) => new(Spec with { JobId = jobId, CodebookName = jobId }, ImageIds);

    /// <summary>Submits the job.</summary>
    public async Task<JobStatus> SubmitAsync(IClusterClient client)
    {
        var status = await client.GetGrain<IMiningJobGrain>(Id).Submit(Spec);
        Assert.Equal(ImageIds.Count, status.Images);
        return status;
    }

    /// <summary>
    /// Waits until at least <paramref name="done"/> images are done while the job still runs, so that a fault then lands mid-job;
    /// fails if the job ends first or <paramref name="timeout"/> passes.
    /// </summary>
    public async Task<JobStatus> WaitUntilDoneAtLeastAsync(IClusterClient client, int done, TimeSpan timeout, CancellationToken cancellation)
    {
        using var deadline = Deadline(timeout, cancellation);
        JobStatus? last = null;
        try
        {
            while (true)
            {
                last = await client.GetGrain<IMiningJobGrain>(Id).GetStatus().WaitAsync(deadline.Token);
                Assert.True(
                    last.State == JobState.Running,
                    $"job {Id} is {last.State} with {last.Done} of {last.Images} images done before the fault could land mid-job (more images would make it longer)");
                if (last.Done >= done)
                {
                    return last;
                }

                await Task.Delay(PollInterval, deadline.Token);
            }
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellation.IsCancellationRequested)
        {
            throw new TimeoutException($"job {Id} did not reach {done} done images within {timeout.TotalSeconds} s: {Describe(last)}");
        }
    }

    /// <summary>Waits until the job completes, fails or is cancelled; status calls that fail while the cluster recovers are retried.</summary>
    public async Task<JobStatus> WaitForEndAsync(IClusterClient client, TimeSpan timeout, CancellationToken cancellation)
    {
        using var deadline = Deadline(timeout, cancellation);
        JobStatus? last = null;
        Exception? lastError = null;
        try
        {
            while (true)
            {
                try
                {
                    last = await client.GetGrain<IMiningJobGrain>(Id).GetStatus().WaitAsync(deadline.Token);
                    lastError = null;
                    if (last.State is JobState.Completed or JobState.Failed or JobState.Cancelled)
                    {
                        return last;
                    }
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // A silo died or a storage call failed under the grain: the job's recovery is what the test waits for.
                    lastError = e;
                }

                await Task.Delay(PollInterval, deadline.Token);
            }
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellation.IsCancellationRequested)
        {
            throw new TimeoutException(
                $"job {Id} did not end within {timeout.TotalSeconds} s: {Describe(last)}{(lastError is null ? string.Empty : $"; the last status call failed: {lastError.Message}")}");
        }
    }

    /// <summary>"Running, 12/66 done, 0 failed, shards 0:Completed@127.0.0.1:… …", for failure messages.</summary>
    public static string Describe(JobStatus? status) => status is null ? "no status yet" :
        $"{status.State}, {status.Done}/{status.Images} done, {status.Failed} failed{(status.Error is null ? string.Empty : $", error: {status.Error}")}; shards "
        + string.Join(' ', status.Shards.Select(s => $"{s.ShardIndex}:{s.State}:{s.Done}/{s.Images}@{s.Silo}"));

    private static bool IsImage(string path) => Path.GetExtension(path) is ".png" or ".jpg";

    private static CancellationTokenSource Deadline(TimeSpan timeout, CancellationToken cancellation)
    {
        var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        deadline.CancelAfter(timeout);
        return deadline;
    }
}
