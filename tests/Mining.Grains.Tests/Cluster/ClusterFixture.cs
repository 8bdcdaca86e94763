using Microsoft.Extensions.DependencyInjection;
using Mining.Grains.Codebooks;
using Mining.Grains.Contracts;
using Mining.Grains.Execution;
using Mining.Grains.Hosting;
using Mining.Grains.Placement;
using Mining.Kernels.Datasets;
using Mining.Kernels.Experiments;
using Mining.Kernels.Imaging;
using Mining.Kernels.Pipeline;
using Mining.Kernels.Runtime;
using Mining.Probe.Codebooks;
using Mining.Testing;
using Orleans.Runtime.MembershipService.SiloMetadata;
using Orleans.TestingHost;

namespace Mining.Grains.Tests.Cluster;

/// <summary>
/// One in-process cluster of three silos for the whole collection: <see cref="GatewaySilo"/> is a gateway (no shards),
/// the other two are workers; memory grain storage; a temporary artifact folder; the fixture model.
/// </summary>
public sealed class ClusterFixture : IAsyncLifetime
{
    /// <summary>The silo configured as <c>role=gateway</c>.</summary>
    public const string GatewaySilo = "Silo_0";

    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(3);
    private readonly Lazy<Task<JobStatus>> mainJob;
    private readonly Lazy<Task<(Codebook Codebook, MiningSummary Summary)>> reference;
    private readonly Lazy<Task<byte[]>> extension;
    private InProcessTestCluster? cluster;

    public ClusterFixture()
    {
        mainJob = new(() => RunToEndAsync(Spec(MainJobId, Images, MainJobId, imagesPerShard: 1)));
        reference = new(() => Task.Run(RunSingleProcess));
        extension = new(ExtendAsync);
    }

    /// <summary>Small enough thresholds for the random fixture model to yield a non-empty codebook.</summary>
    public static MiningParameters Parameters { get; } = new()
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

    /// <summary>Job id (and codebook name) of the job over <see cref="Images"/> that several tests inspect.</summary>
    public static string MainJobId => "main";

    /// <summary>Five sample images and one corrupt file, in dataset order: brick, camera, chelsea, coffee, coins, corrupt.</summary>
    public string Images { get; } = TestData.ImageFolder(["brick.png", "camera.png", "chelsea.png", "coffee.png", "coins.png"], corrupt: "corrupt.png");

    /// <summary>Codebook that <see cref="ExtensionAsync"/> extends from version 1 to version 2.</summary>
    public static string ExtendedCodebook => "extended";

    /// <summary>Images of the extended codebook's first job ("extend-1").</summary>
    public string FirstImages { get; } = TestData.ImageFolder(["chelsea.png", "coffee.png", "grass.png"]);

    /// <summary>Images of the extended codebook's second job ("extend-2").</summary>
    public string SecondImages { get; } = TestData.ImageFolder(["coffee.png", "grass.png", "rocket.jpg"]);

    /// <summary>Two sample images.</summary>
    public string TwoImages { get; } = TestData.ImageFolder(["brick.png", "camera.png"]);

    public string ArtifactRoot { get; } = TestData.NewTempFolder();

    internal ScriptedExecutorFaults Faults { get; } = new();

    public InProcessTestCluster Cluster => cluster ?? throw new InvalidOperationException("the cluster is not deployed");

    public IClusterClient Client => Cluster.Client;

    /// <summary>The executors of all silos.</summary>
    public IReadOnlyList<InferenceExecutor> Executors =>
        Cluster.Silos.Select(silo => silo.ServiceProvider.GetRequiredService<InferenceExecutor>()).ToArray();

    public async ValueTask InitializeAsync()
    {
        var builder = new InProcessTestClusterBuilder(3);
        builder.Options.ConfigureFileLogging = false;
        builder.ConfigureSilo((silo, siloBuilder) =>
        {
            siloBuilder.AddMemoryGrainStorage(MiningGrainStorage.Name);
            siloBuilder.Services.AddSingleton<IExecutorFaults>(Faults);
            siloBuilder.AddMiningGrains(options =>
            {
                options.ArtifactRoot = ArtifactRoot;
                options.IsWorker = silo.SiloName != GatewaySilo;
                options.RetryBackoff = TimeSpan.FromMilliseconds(50);
                options.JobPollInterval = TimeSpan.FromMilliseconds(100);
            });
        });
        cluster = builder.Build();
        await cluster.DeployAsync();
        await WaitForRolesAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (cluster is not null)
        {
            await cluster.DisposeAsync();
        }
    }

    /// <summary>A spec over <paramref name="images"/> with the fixture model and <see cref="Parameters"/>, every token a candidate.</summary>
    public static JobSpec Spec(string jobId, string images, string codebook, int imagesPerShard = 2) =>
        new(jobId, images, TestData.FixtureModel, codebook, Parameters.ToJson(), AllTokens: true, ImageAspect.Crop, imagesPerShard, ModelId: null);

    public IMiningJobGrain Job(string jobId) => Client.GetGrain<IMiningJobGrain>(jobId);

    public IImageShardGrain Shard(string jobId, int index) => Client.GetGrain<IImageShardGrain>($"{jobId}/{index}");

    /// <summary>Images of <paramref name="jobId"/> mined, summed over the executors of all silos.</summary>
    public long ProcessedImages(string jobId) => Executors.Sum(executor => executor.ImagesProcessed(jobId));

    /// <summary>The job over <see cref="Images"/> (one image per shard) into codebook <see cref="MainJobId"/>, run once.</summary>
    public Task<JobStatus> MainJobAsync() => mainJob.Value;

    /// <summary>What the single-process <see cref="MiningRun"/> writes for <see cref="Images"/>, run once.</summary>
    public Task<(Codebook Codebook, MiningSummary Summary)> ReferenceAsync() => reference.Value;

    /// <summary>
    /// Runs "extend-1" then "extend-2" into <see cref="ExtendedCodebook"/>, once; returns version 1's export taken
    /// before the second job ran.
    /// </summary>
    public Task<byte[]> ExtensionAsync() => extension.Value;

    public async Task<JobStatus> RunToEndAsync(JobSpec spec)
    {
        await Job(spec.JobId).Submit(spec);
        return await WaitForJobAsync(spec.JobId, s => s.State is JobState.Completed or JobState.Failed or JobState.Cancelled);
    }

    public async Task<JobStatus> WaitForJobAsync(string jobId, Func<JobStatus, bool> until)
    {
        var status = await Job(jobId).GetStatus();
        await WaitForAsync(async () => until(status = await Job(jobId).GetStatus()), $"job '{jobId}'");
        return status;
    }

    /// <summary>Polls <paramref name="condition"/> until it holds; a generous limit only keeps a broken test from hanging.</summary>
    public static async Task WaitForAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"gave up waiting for {what}");
            }

            await Task.Delay(50);
        }
    }

    /// <summary>A version's bytes as clients get them: through <see cref="CodebookExporter"/>, chunk by chunk.</summary>
    public static async Task<byte[]> ExportAsync(ICodebookGrain codebook, int? version)
    {
        using var bytes = new MemoryStream();
        await codebook.ExportToAsync(version, bytes);
        return bytes.ToArray();
    }

    /// <summary>Reads codebook Parquet bytes with the Kernels' reader.</summary>
    public static Codebook ReadCodebook(byte[] bytes)
    {
        var path = Path.Combine(TestData.NewTempFolder(), "codebook.parquet");
        File.WriteAllBytes(path, bytes);
        return CodebookParquet.Read(path);
    }

    private async Task<byte[]> ExtendAsync()
    {
        var first = await RunToEndAsync(Spec("extend-1", FirstImages, ExtendedCodebook));
        if (first.CodebookVersion != 1)
        {
            throw new InvalidOperationException($"extend-1 ended {first.State} with version {first.CodebookVersion}: {first.Error}");
        }

        var version1 = await ExportAsync(Client.GetGrain<ICodebookGrain>(ExtendedCodebook), 1);
        var second = await RunToEndAsync(Spec("extend-2", SecondImages, ExtendedCodebook));
        if (second.CodebookVersion != 2)
        {
            throw new InvalidOperationException($"extend-2 ended {second.State} with version {second.CodebookVersion}: {second.Error}");
        }

        return version1;
    }

    private (Codebook, MiningSummary) RunSingleProcess()
    {
        var output = Path.Combine(TestData.NewTempFolder(), "codebook.parquet");
        var options = new MiningRunOptions(
            TestData.FixtureModel,
            ImageDataset.Open(Images),
            Parameters,
            CandidateMode.All,
            ImageAspect.Crop,
            RuntimeOptions.Cpu,
            MaxBatchTokens: 8192,
            output,
            ResultsPath: null,
            ModelId: "model");
        var summary = MiningRun.Run(options);
        return (CodebookParquet.Read(output), summary);
    }

    /// <summary>Shard placement needs every silo to know every silo's role; metadata arrives shortly after membership.</summary>
    private async Task WaitForRolesAsync()
    {
        var silos = Cluster.Silos;
        await WaitForAsync(
            () => Task.FromResult(silos.All(silo =>
            {
                var cache = silo.ServiceProvider.GetRequiredService<ISiloMetadataCache>();
                return silos.All(other => cache.GetSiloMetadata(other.SiloAddress).Metadata.ContainsKey(SiloRoles.MetadataKey));
            })),
            "silo metadata");
    }
}
