using System.Globalization;
using Azure.Storage.Blobs;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Mining.Grains.Artifacts;
using Mining.Grains.Contracts;
using Mining.Grains.Execution;
using Mining.Grains.Jobs;
using Mining.Kernels.Experiments;
using Mining.Kernels.Imaging;
using Mining.Silo.Clustering;
using Mining.Silo.Hosting;
using Mining.Silo.Storage;
using Mining.Silo.Tests.Api;
using Mining.Silo.Tests.Storage;

namespace Mining.Silo.Tests.Hosting;

/// <summary>
/// Silos of the production profile as <see cref="MiningSiloExtensions.AddMiningSilo"/> builds them from settings:
/// membership and reminders in a real redis-server, grain state and artifacts in a real Azurite, all on loopback.
/// </summary>
public sealed class ProductionProfileTests(AzuriteFixture azurite, RedisProcess redis) : IClassFixture<AzuriteFixture>, IClassFixture<RedisProcess>
{
    private const string GrainContainer = "grain-state";
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(4);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_silo_on_redis_and_azure_blobs_runs_a_job_whose_state_and_results_land_in_azurite()
    {
        var cluster = NewCluster();
        var images = ApiTestData.ImageFolder(Path.Combine(TestData.NewTempFolder(), "images"), ["brick.png", "camera.png"]);
        var silo = new SiloPorts(FreePorts.Take(2));
        using var host = Build(cluster, silo, faults: null);
        await host.StartAsync(Ct);
        try
        {
            await using var connection = await Connect(cluster, [silo]);
            var job = connection.Client.GetGrain<IMiningJobGrain>("prod-job");

            await job.Submit(Spec("prod-job", images, "prod-codebook"));
            var status = await UntilAsync(job, s => s.State is JobState.Completed or JobState.Failed);

            Assert.Equal(JobState.Completed, status.State);
            Assert.Equal(1, status.CodebookVersion);
            var stateBlobs = await BlobNames(cluster.GrainContainer);
            Assert.Contains(stateBlobs, name => name.StartsWith("job-", StringComparison.Ordinal) && name.EndsWith("/prod-job.json", StringComparison.Ordinal));
            Assert.Contains(stateBlobs, name => name.StartsWith("registry-", StringComparison.Ordinal));
            var artifacts = await BlobNames(cluster.ArtifactContainer);
            Assert.Contains(ArtifactKeys.ImageResult("prod-job", 0), artifacts);
            Assert.Contains(ArtifactKeys.ImageResult("prod-job", 1), artifacts);
            Assert.Contains(ArtifactKeys.CodebookVersion("prod-codebook", 1), artifacts);
        }
        finally
        {
            await host.StopAsync(CancellationToken.None);
        }
    }

    [Fact]
    public async Task A_running_job_holds_a_reminder_in_redis_until_it_completes()
    {
        var cluster = NewCluster();
        var images = ApiTestData.ImageFolder(Path.Combine(TestData.NewTempFolder(), "images"), ["brick.png", "camera.png"]);
        var silo = new SiloPorts(FreePorts.Take(2));
        using var held = new HeldImages();
        using var host = Build(cluster, silo, held);
        await host.StartAsync(Ct);
        try
        {
            await using var connection = await Connect(cluster, [silo]);
            var job = connection.Client.GetGrain<IMiningJobGrain>("reminded-job");
            var reminders = host.Services.GetRequiredService<IReminderTable>();

            await job.Submit(Spec("reminded-job", images, "reminded-codebook"));
            var whileRunning = await reminders.ReadRows(job.GetGrainId(), Ct);
            held.Pass(2);
            var status = await UntilAsync(job, s => s.State is JobState.Completed or JobState.Failed);
            // The job stores Completed, then removes its reminder (a failed removal is retried on the next tick), so
            // a status call can see Completed a moment before the reminder is gone.
            var afterwards = await reminders.ReadRows(job.GetGrainId(), Ct);
            for (var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15); afterwards.Reminders.Count > 0 && DateTime.UtcNow < deadline;)
            {
                await Task.Delay(100, Ct);
                afterwards = await reminders.ReadRows(job.GetGrainId(), Ct);
            }

            Assert.Equal(JobState.Completed, status.State);
            Assert.Equal([MiningJobGrain.ResumeReminder], whileRunning.Reminders.Select(r => r.ReminderName));
            Assert.Empty(afterwards.Reminders);
        }
        finally
        {
            // Nothing may stay held, or the executor's thread would keep the host from stopping.
            held.Abort();
            await host.StopAsync(CancellationToken.None);
        }
    }

    [Fact]
    public async Task A_cancelled_job_drops_its_reminder_and_takes_it_again_when_resumed()
    {
        var cluster = NewCluster();
        var images = ApiTestData.ImageFolder(Path.Combine(TestData.NewTempFolder(), "images"), ["brick.png", "camera.png"]);
        var silo = new SiloPorts(FreePorts.Take(2));
        using var held = new HeldImages();
        using var host = Build(cluster, silo, held);
        await host.StartAsync(Ct);
        try
        {
            await using var connection = await Connect(cluster, [silo]);
            var job = connection.Client.GetGrain<IMiningJobGrain>("cancelled-job");
            var reminders = host.Services.GetRequiredService<IReminderTable>();
            await job.Submit(Spec("cancelled-job", images, "cancelled-codebook"));

            // A cancel waits for the images in hand, which the gate holds until these passes.
            var cancelling = job.Cancel();
            held.Pass(2);
            var cancelled = await cancelling;
            var afterCancel = await reminders.ReadRows(job.GetGrainId(), Ct);
            held.Pass(2);
            await job.Resume();
            var afterResume = await reminders.ReadRows(job.GetGrainId(), Ct);
            var status = await UntilAsync(job, s => s.State is JobState.Completed or JobState.Failed);

            Assert.Equal(JobState.Cancelled, cancelled.State);
            Assert.Empty(afterCancel.Reminders);
            Assert.Equal([MiningJobGrain.ResumeReminder], afterResume.Reminders.Select(r => r.ReminderName));
            Assert.Equal(JobState.Completed, status.State);
        }
        finally
        {
            // Nothing may stay held, or the executor's thread would keep the host from stopping.
            held.Abort();
            await host.StopAsync(CancellationToken.None);
        }
    }

    [Fact]
    public async Task A_job_completes_with_every_result_stored_once_when_azurite_stops_and_restarts_mid_job()
    {
        var cluster = NewCluster();
        var images = ApiTestData.ImageFolder(Path.Combine(TestData.NewTempFolder(), "images"), ["brick.png", "camera.png", "chelsea.png"]);
        var silo = new SiloPorts(FreePorts.Take(2));
        using var held = new HeldImages();
        using var host = Build(cluster, silo, held);
        await host.StartAsync(Ct);
        try
        {
            await using var connection = await Connect(cluster, [silo]);
            var job = connection.Client.GetGrain<IMiningJobGrain>("outage-job");
            await job.Submit(Spec("outage-job", images, "outage-codebook"));
            held.Pass(1);
            await UntilAsync(job, s => s.Done >= 1);

            // The other images are mined while nothing answers at the storage endpoint: Azurite comes back only once a
            // shard has reported a storage failure (after the SDK's retries), so the outage has cost a write.
            await azurite.Process.StopAsync();

            // Open, not a count: an image whose result could not be stored is mined again.
            held.Open();
            await UntilAsync(job, s => s.Shards.Any(shard => shard.Error is not null));
            await azurite.Process.StartAsync();
            var status = await UntilAsync(job, s => s.State is JobState.Completed or JobState.Failed);

            Assert.Equal(JobState.Completed, status.State);
            Assert.Equal(3, status.Done);
            Assert.Equal(0, status.Failed);
            var results = await new AzureBlobArtifactStore(azurite.ConnectionString, cluster.ArtifactContainer).ListAsync(ArtifactKeys.ImageResultsPrefix("outage-job"), Ct);
            Assert.Equal(Enumerable.Range(0, 3).Select(i => ArtifactKeys.ImageResult("outage-job", i)), results);
        }
        finally
        {
            held.Abort();
            await azurite.Process.StartAsync();
            await host.StopAsync(CancellationToken.None);
        }
    }

    [Fact]
    public async Task A_job_running_when_every_silo_stopped_completes_once_new_silos_start_without_a_client_call()
    {
        var cluster = NewCluster();
        var images = ApiTestData.ImageFolder(Path.Combine(TestData.NewTempFolder(), "images"), ["brick.png", "camera.png", "chelsea.png", "coffee.png"]);
        SiloPorts[] silos = [new(FreePorts.Take(2)), new(FreePorts.Take(2))];
        JobStatus before;
        using (var held = new HeldImages())
        {
            var first = silos.Select(ports => Build(cluster, ports, held)).ToArray();
            try
            {
                await Task.WhenAll(first.Select(h => h.StartAsync(Ct)));
                await using var connection = await Connect(cluster, silos);
                var job = connection.Client.GetGrain<IMiningJobGrain>("restarted-job");
                await job.Submit(Spec("restarted-job", images, "restarted-codebook"));
                held.Pass(1);
                before = await UntilAsync(job, s => s.Done >= 1);
                held.Abort();
            }
            finally
            {
                held.Abort();
                await Task.WhenAll(first.Select(h => h.StopAsync(CancellationToken.None)));
                foreach (var h in first)
                {
                    h.Dispose();
                }
            }
        }

        Assert.Equal(JobState.Running, before.State);
        Assert.True(before.Done < before.Images, "the job finished before the cluster stopped");

        // A new cluster on the same storage and membership. No client touches it until the codebook is in Azurite:
        // a status call would activate the job grain and resume it, so only the job's reminder can have done that.
        var second = silos.Select(ports => Build(cluster, ports, faults: null)).ToArray();
        try
        {
            await Task.WhenAll(second.Select(h => h.StartAsync(Ct)));
            var store = new AzureBlobArtifactStore(azurite.ConnectionString, cluster.ArtifactContainer);
            await UntilStoredAsync(store, ArtifactKeys.CodebookVersion("restarted-codebook", 1));
            await using var connection = await Connect(cluster, silos);
            var status = await UntilAsync(connection.Client.GetGrain<IMiningJobGrain>("restarted-job"), s => s.State is JobState.Completed or JobState.Failed);

            Assert.Equal(JobState.Completed, status.State);
            Assert.Equal(4, status.Done);
            Assert.Equal(0, status.Failed);
            var results = await store.ListAsync(ArtifactKeys.ImageResultsPrefix("restarted-job"), Ct);
            Assert.Equal(Enumerable.Range(0, 4).Select(i => ArtifactKeys.ImageResult("restarted-job", i)), results);
        }
        finally
        {
            await Task.WhenAll(second.Select(h => h.StopAsync(CancellationToken.None)));
            foreach (var h in second)
            {
                h.Dispose();
            }
        }
    }

    private static ClusterNames NewCluster()
    {
        var id = Guid.NewGuid().ToString("N")[..12];
        return new ClusterNames($"prod-{id}", $"state-{id}", $"artifacts-{id}");
    }

    /// <summary>A worker silo (with a gateway) of <paramref name="cluster"/>, its executor behind <paramref name="faults"/> when given.</summary>
    private IHost Build(ClusterNames cluster, SiloPorts ports, IExecutorFaults? faults)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Mining:Silo:Name"] = $"prod-{ports.Silo.ToString(CultureInfo.InvariantCulture)}",
            ["Mining:Silo:SiloPort"] = ports.Silo.ToString(CultureInfo.InvariantCulture),
            ["Mining:Silo:GatewayPort"] = ports.Gateway.ToString(CultureInfo.InvariantCulture),
            ["Mining:Silo:ClusterId"] = cluster.Id,
            ["Mining:Silo:ServiceId"] = cluster.Id,
            ["Mining:Clustering:Provider"] = "Redis",
            ["Mining:Clustering:RedisConnectionString"] = redis.ConnectionString,
            ["Mining:GrainStorage:Provider"] = "AzureBlob",
            ["Mining:GrainStorage:ConnectionString"] = azurite.ConnectionString,
            ["Mining:GrainStorage:ContainerName"] = cluster.GrainContainer,
            ["Mining:Artifacts:Provider"] = "AzureBlob",
            ["Mining:Artifacts:ConnectionString"] = azurite.ConnectionString,
            ["Mining:Artifacts:ContainerName"] = cluster.ArtifactContainer,
        });
        builder.Logging.AddFilter("Orleans", LogLevel.Warning);
        if (faults is not null)
        {
            builder.Services.AddSingleton(faults);
        }

        builder.AddMiningSilo();
        return builder.Build();
    }

    private static Task<ClusterConnection> Connect(ClusterNames cluster, IEnumerable<SiloPorts> silos) =>
        ClusterConnection.ConnectAsync(
            silos.Select(s => ClusterEndpoints.Parse($"127.0.0.1:{s.Gateway.ToString(CultureInfo.InvariantCulture)}", "gateway")).ToArray(),
            cluster.Id,
            cluster.Id,
            cancellation: Ct);

    private static JobSpec Spec(string jobId, string images, string codebook) =>
        new(jobId, images, TestData.FixtureModel, codebook, Parameters.ToJson(), AllTokens: true, ImageAspect.Crop, ImagesPerShard: 1, ModelId: null);

    /// <summary>Small enough thresholds for the random fixture model to yield a non-empty codebook (as the grains' tests use).</summary>
    private static MiningParameters Parameters { get; } = new()
    {
        Top1Thres = 0.185,
        JsdThres = 0.15,
        KRegion = 1,
        KGlobal = 16,
        PrototypeClusters = 4,
        MinUniqueImages = 1,
        ImageClusters = 4,
        SmallClusterMax = 8,
    };

    /// <summary>Polls the job's status until <paramref name="done"/> holds; fails after <see cref="Patience"/> (a hung job, not a slow one).</summary>
    private static async Task<JobStatus> UntilAsync(IMiningJobGrain job, Func<JobStatus, bool> done)
    {
        using var patience = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        patience.CancelAfter(Patience);
        JobStatus? last = null;
        while (true)
        {
            try
            {
                last = await job.GetStatus();
                if (done(last))
                {
                    return last;
                }
            }
            catch (Exception e) when (e is TimeoutException or Orleans.Runtime.OrleansException)
            {
                // The cluster is still starting: ask again.
            }

            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(200), patience.Token);
            }
            catch (OperationCanceledException)
            {
                Assert.Fail($"the job did not get there within {Patience}; last status: {last}");
            }
        }
    }

    /// <summary>Waits, reading Azurite only, until <paramref name="key"/> is stored; fails after <see cref="Patience"/>.</summary>
    private static async Task UntilStoredAsync(IArtifactStore store, string key)
    {
        using var patience = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        patience.CancelAfter(Patience);
        while (!await store.ExistsAsync(key, Ct))
        {
            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(200), patience.Token);
            }
            catch (OperationCanceledException)
            {
                Assert.Fail($"'{key}' was not stored within {Patience}: the job did not resume by itself");
            }
        }
    }

    private async Task<List<string>> BlobNames(string container)
    {
        var names = new List<string>();
        await foreach (var blob in new BlobServiceClient(azurite.ConnectionString).GetBlobContainerClient(container).GetBlobsAsync(cancellationToken: Ct))
        {
            names.Add(blob.Name);
        }

        return names;
    }

    private sealed record ClusterNames(string Id, string GrainContainer, string ArtifactContainer);

    private sealed record SiloPorts(int Silo, int Gateway)
    {
        public SiloPorts(int[] ports)
            : this(ports[0], ports[1])
        {
        }
    }
}
