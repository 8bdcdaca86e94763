using Microsoft.Extensions.DependencyInjection;
using Mining.Grains.Artifacts;
using Mining.Grains.Codebooks;
using Mining.Grains.Contracts;
using Mining.Grains.Hosting;
using Mining.Kernels.Pipeline;
using Mining.Probe.Codebooks;
using Orleans.Configuration;
using Orleans.Storage;
using Orleans.TestingHost;

namespace Mining.Grains.Tests.Cluster;

/// <summary>
/// A one-silo cluster whose silo and client refuse message bodies over <see cref="MaxMessageBodySize"/> bytes, and a
/// codebook whose one version is four times that size: it stands for a 4096-wide codebook past Orleans' 100 MB default.
/// The version is seeded (artifact file and grain state) rather than mined, so its size does not depend on a model.
/// </summary>
public sealed class SmallMessageCluster : IAsyncLifetime
{
    /// <summary>The message body limit of silo and client: above what Orleans itself sends (the cluster manifest), below the codebook.</summary>
    public const int MaxMessageBodySize = 256 * 1024;

    /// <summary>The seeded codebook's name.</summary>
    public const string CodebookName = "small-messages";

    /// <summary>Prototypes of the seeded version: 4096 × 64 float32 is 1 MiB of embeddings.</summary>
    public const int Prototypes = 4096;

    private const int HiddenSize = 64;
    private InProcessTestCluster? cluster;

    public string ArtifactRoot { get; } = TestData.NewTempFolder();

    /// <summary>The seeded version as written, independently of the grain.</summary>
    public Codebook Written { get; } = NewCodebook();

    public IClusterClient Client => (cluster ?? throw new InvalidOperationException("the cluster is not deployed")).Client;

    /// <summary>The Parquet file of the seeded version in the artifact store.</summary>
    public string ArtifactPath => Path.Combine(ArtifactRoot, "codebooks", CodebookName, "v1.parquet");

    public async ValueTask InitializeAsync()
    {
        var builder = new InProcessTestClusterBuilder(1);
        builder.Options.ConfigureFileLogging = false;
        builder.ConfigureSilo((_, silo) =>
        {
            silo.Configure<SiloMessagingOptions>(options => options.MaxMessageBodySize = MaxMessageBodySize);
            silo.AddMemoryGrainStorage(MiningGrainStorage.Name);
            silo.AddMiningGrains(options => options.ArtifactRoot = ArtifactRoot);
        });
        builder.ConfigureClient(client => client.Configure<ClientMessagingOptions>(options => options.MaxMessageBodySize = MaxMessageBodySize));
        cluster = builder.Build();
        await cluster.DeployAsync();

        var key = ArtifactKeys.CodebookVersion(CodebookName, 1);
        var store = new LocalFolderArtifactStore(ArtifactRoot);
        await store.PutAsync(key, ArtifactCodec.EncodeCodebook(Written));
        var metadata = Written.Metadata;
        var version = new CodebookVersionInfo(
            CodebookName, 1, metadata.JobIds, Prototypes, Prototypes, metadata.Model, HiddenSize, metadata.ParametersJson, metadata.CreatedUtc.UtcDateTime, key,
            new MiningStatistics(0, 0, 0, 0, Prototypes, Prototypes, 0, 0, 0, 0));
        var storage = cluster.Silos[0].ServiceProvider.GetRequiredKeyedService<IGrainStorage>(MiningGrainStorage.Name);
        var state = new GrainState<CodebookGrainState>(new CodebookGrainState { Versions = [version] });
        await storage.WriteStateAsync("codebook", Client.GetGrain<ICodebookGrain>(CodebookName).GetGrainId(), state);
    }

    public async ValueTask DisposeAsync()
    {
        if (cluster is not null)
        {
            await cluster.DisposeAsync();
        }
    }

    /// <summary>Random prototypes (seeded), so the Parquet file cannot compress below the message limit. Plain lists: the memory
    /// grain storage writes JSON with type names, which a collection expression's compiler-made type does not survive.</summary>
    private static Codebook NewCodebook()
    {
        var random = new Random(4096);
        var entries = Enumerable.Range(0, Prototypes)
            .Select(i => new CodebookEntry(i, Enumerable.Range(0, HiddenSize).Select(_ => random.NextSingle() - 0.5f).ToArray(), $"image-{i % 97}", i % 31, 1, 1))
            .ToArray();
        var metadata = new CodebookMetadata("model", HiddenSize, 1, new List<string> { "seeded" }, "{}", new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero));
        return new Codebook(metadata, entries);
    }
}
