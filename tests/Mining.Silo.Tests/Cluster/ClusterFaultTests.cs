using Mining.Grains.Artifacts;
using Mining.Grains.Contracts;
using Mining.Kernels.Experiments;

namespace Mining.Silo.Tests.Cluster;

/// <summary>
/// Issue #5's acceptance with real processes: <c>infra/local/cluster</c> starts Azurite, Redis, a gateway silo and worker silos
/// (Redis membership, grain state and artifacts in Azurite); a fault lands while a job runs; the job still completes with
/// every image's result stored once. Each test has its own cluster on free loopback ports and takes it down on the way out.
/// </summary>
[Collection(LocalClusterCollection.Name)]
public sealed class ClusterFaultTests
{
    /// <summary>Copies of the 11 sample images: 33 images take long enough on the tiny model (seconds each with state and results in Azurite) that a fault lands mid-job.</summary>
    private const int Copies = 3;

    /// <summary>Bounds a whole test: cluster start (possibly a build), one or two jobs, recovery and shutdown.</summary>
    private static readonly TimeSpan TestTimeout = TimeSpan.FromMinutes(30);

    /// <summary>Bounds a job's run once it is submitted, including a dead silo's detection and its shards' move.</summary>
    private static readonly TimeSpan JobTimeout = TimeSpan.FromMinutes(10);

    [Fact]
    public async Task A_job_completes_with_the_fault_free_codebook_and_every_image_stored_once_when_a_worker_is_killed_mid_job()
    {
        using var timeout = Timeout();
        var cancellation = timeout.Token;
        await using var cluster = await LocalCluster.UpAsync(workers: 3, cancellation);
        await using var connection = await cluster.ConnectAsync(cancellation);
        var client = connection.Client;
        var faultFree = ClusterJob.Create("fault-free", Copies, cluster.NewDataFolder("fault-free"));
        await faultFree.SubmitAsync(client);
        var reference = await faultFree.WaitForEndAsync(client, JobTimeout, cancellation);
        Assert.True(reference.State == JobState.Completed, $"the fault-free run: {ClusterJob.Describe(reference)}");

        var job = faultFree.Again("worker-killed");
        await job.SubmitAsync(client);
        var midway = await job.WaitUntilDoneAtLeastAsync(client, job.ImageIds.Count / 4, JobTimeout, cancellation);
        var victim = WorkerRunningAShard(cluster, midway);
        TestContext.Current.TestOutputHelper?.WriteLine($"killing {victim} (pid {cluster.Processes[victim].Pid}) at {ClusterJob.Describe(midway)}");
        await cluster.KillAsync(victim, cancellation);
        await AssertMidJobAsync(cluster, job, cancellation);

        var status = await job.WaitForEndAsync(client, JobTimeout, cancellation);

        AssertCompletedWithoutFailures(cluster, job, status);
        await AssertEveryImageStoredOnceAsync(cluster, job, cancellation);
        var codebook = client.GetGrain<ICodebookGrain>(job.Spec.CodebookName);
        var expected = ArtifactCodec.DecodeCodebook(await ExportedCodebook.BytesAsync(client.GetGrain<ICodebookGrain>(faultFree.Spec.CodebookName), reference.CodebookVersion, cancellation));
        var actual = ArtifactCodec.DecodeCodebook(await ExportedCodebook.BytesAsync(codebook, status.CodebookVersion, cancellation));
        Assert.NotEmpty(expected.Entries);
        Assert.Equal(expected.Entries.Count, actual.Entries.Count);
        foreach (var (want, got) in expected.Entries.Zip(actual.Entries))
        {
            Assert.Equal(
                (want.PrototypeId, want.SourceImageId, want.ClusterId, want.ClusterUniqueImages, want.Members),
                (got.PrototypeId, got.SourceImageId, got.ClusterId, got.ClusterUniqueImages, got.Members));
            Assert.Equal(want.Embedding, got.Embedding);
        }
    }

    [Fact]
    public async Task A_job_completes_with_nothing_lost_when_azurite_is_stopped_and_restarted_on_the_same_data_mid_job()
    {
        using var timeout = Timeout();
        var cancellation = timeout.Token;
        await using var cluster = await LocalCluster.UpAsync(workers: 2, cancellation);
        await using var connection = await cluster.ConnectAsync(cancellation);
        var client = connection.Client;
        var job = ClusterJob.Create("azurite-restarted", Copies, cluster.NewDataFolder("azurite-restarted"));
        await job.SubmitAsync(client);
        await job.WaitUntilDoneAtLeastAsync(client, job.ImageIds.Count / 4, JobTimeout, cancellation);
        await AssertMidJobAsync(cluster, job, cancellation);

        await cluster.StopAsync("azurite", cancellation);
        // An outage of a few seconds: the silos' storage calls in flight fail and must be retried, not lose work.
        await Task.Delay(TimeSpan.FromSeconds(3), cancellation);
        await cluster.StartAsync("azurite", cancellation);
        var status = await job.WaitForEndAsync(client, JobTimeout, cancellation);

        AssertCompletedWithoutFailures(cluster, job, status);
        await AssertEveryImageStoredOnceAsync(cluster, job, cancellation);
    }

    [Fact]
    public async Task A_job_resumes_by_itself_and_completes_when_every_silo_is_stopped_mid_job_and_started_again()
    {
        using var timeout = Timeout();
        var cancellation = timeout.Token;
        await using var cluster = await LocalCluster.UpAsync(workers: 2, cancellation);
        var job = ClusterJob.Create("cluster-restarted", Copies, cluster.NewDataFolder("cluster-restarted"));
        await using (var connection = await cluster.ConnectAsync(cancellation))
        {
            await job.SubmitAsync(connection.Client);
            await job.WaitUntilDoneAtLeastAsync(connection.Client, job.ImageIds.Count / 4, JobTimeout, cancellation);
        }

        string[] silos = ["gateway", .. cluster.Workers];
        await Task.WhenAll(silos.Select(silo => cluster.StopAsync(silo, cancellation)));
        var storedBefore = await AssertMidJobAsync(cluster, job, cancellation);
        await Task.WhenAll(silos.Select(silo => cluster.StartAsync(silo, cancellation)));

        // Nothing calls the job until it has stored more results: it must come back by itself (a durable re-kick).
        await WaitForMoreStoredResultsAsync(cluster, job, storedBefore, cancellation);
        await using var reconnected = await cluster.ConnectAsync(cancellation);
        var status = await job.WaitForEndAsync(reconnected.Client, JobTimeout, cancellation);

        AssertCompletedWithoutFailures(cluster, job, status);
        await AssertEveryImageStoredOnceAsync(cluster, job, cancellation);
    }

    private static CancellationTokenSource Timeout()
    {
        var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TestTimeout);
        return timeout;
    }

    /// <summary>The worker whose silo port appears in a running shard's silo address (<c>127.0.0.1:PORT@GENERATION</c>).</summary>
    private static string WorkerRunningAShard(LocalCluster cluster, JobStatus status)
    {
        var running = status.Shards.Where(s => s.State == ShardState.Running && s.Done < s.Images).Select(s => s.Silo).OfType<string>().ToList();
        foreach (var worker in cluster.Workers)
        {
            var address = $"127.0.0.1:{cluster.Processes[worker].Port}@";
            if (running.Any(silo => silo.StartsWith(address, StringComparison.Ordinal)))
            {
                return worker;
            }
        }

        Assert.Fail($"no worker runs an unfinished shard: {ClusterJob.Describe(status)}");
        return string.Empty;
    }

    /// <summary>Checks the fault landed mid-job (some but not all results are stored) and returns how many are.</summary>
    private static async Task<int> AssertMidJobAsync(LocalCluster cluster, ClusterJob job, CancellationToken cancellation)
    {
        var stored = (await new StoredImageResults(cluster.StorageConnectionString).KeysAsync(job.Id, cancellation)).Count;
        TestContext.Current.TestOutputHelper?.WriteLine($"job {job.Id}: {stored} of {job.ImageIds.Count} results stored at the fault");
        Assert.True(
            stored > 0 && stored < job.ImageIds.Count,
            $"the fault was meant to land mid-job but {stored} of {job.ImageIds.Count} results were stored (more images would make the job longer)");
        return stored;
    }

    private static async Task WaitForMoreStoredResultsAsync(LocalCluster cluster, ClusterJob job, int before, CancellationToken cancellation)
    {
        var results = new StoredImageResults(cluster.StorageConnectionString);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        deadline.CancelAfter(JobTimeout);
        try
        {
            while ((await results.KeysAsync(job.Id, deadline.Token)).Count <= before)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(500), deadline.Token);
            }
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellation.IsCancellationRequested)
        {
            Assert.Fail(
                $"no new result of job {job.Id} was stored within {JobTimeout.TotalMinutes} min of the restart ({before} of {job.ImageIds.Count} stored): "
                + $"nothing brought the job back by itself.\ngateway log:\n{cluster.LogTail("gateway")}");
        }
    }

    private static void AssertCompletedWithoutFailures(LocalCluster cluster, ClusterJob job, JobStatus status)
    {
        Assert.True(
            status.State == JobState.Completed && status.Done == job.ImageIds.Count && status.Failed == 0,
            $"job {job.Id}: {ClusterJob.Describe(status)}\ngateway log:\n{cluster.LogTail("gateway")}");
    }

    /// <summary>Every image of the dataset has exactly one stored result, under its own index, and it is a success.</summary>
    private static async Task AssertEveryImageStoredOnceAsync(LocalCluster cluster, ClusterJob job, CancellationToken cancellation)
    {
        var stored = await new StoredImageResults(cluster.StorageConnectionString).ReadAsync(job.Id, cancellation);
        Assert.Equal(Enumerable.Range(0, job.ImageIds.Count), stored.Select(s => ArtifactKeys.IndexOf(s.Key)));
        Assert.Equal(job.ImageIds, stored.Select(s => s.Result.ImageId));
        Assert.All(stored, s => Assert.Equal(ImageStatus.Ok, s.Result.Status));
    }
}
