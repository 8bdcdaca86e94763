using Azure.Storage.Blobs;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Mining.Silo.Hosting;
using Mining.Silo.Storage;
using Orleans.Providers;
using Orleans.Storage;
using Orleans.TestingHost;

namespace Mining.Silo.Tests.Storage;

/// <summary>
/// A fresh Azurite and a one-silo in-process cluster whose grain storage is added as the silo adds it
/// (<see cref="GrainStorageSiloBuilderExtensions.AddMiningGrainStorage"/> with <c>Mining:GrainStorage:Provider=AzureBlob</c>).
/// </summary>
public sealed class StorageClusterFixture : IAsyncLifetime
{
    /// <summary>The container of the cluster's default grain storage.</summary>
    public const string ContainerName = "grain-state";

    private InProcessTestCluster? cluster;

    /// <summary>The emulator behind the cluster's grain storage.</summary>
    public AzuriteFixture Azurite { get; } = new();

    /// <summary>The running cluster.</summary>
    public InProcessTestCluster Cluster => cluster ?? throw new InvalidOperationException("The cluster fixture is not initialized.");

    /// <summary>The silo's default grain storage, exactly as grains get it.</summary>
    public IGrainStorage Storage =>
        Cluster.GetSiloServiceProvider().GetRequiredKeyedService<IGrainStorage>(ProviderConstants.DEFAULT_STORAGE_PROVIDER_NAME);

    /// <summary>A plain Azure client on the default storage's container, to look at the blobs from outside.</summary>
    public BlobContainerClient Container => new BlobServiceClient(Azurite.ConnectionString).GetBlobContainerClient(ContainerName);

    /// <summary>The <c>Mining:GrainStorage</c> settings of an Azure blob grain storage.</summary>
    public static Dictionary<string, string?> Settings(string connectionString, string containerName = ContainerName) => new()
    {
        [$"{GrainStorageOptions.Section}:{nameof(GrainStorageOptions.Provider)}"] = nameof(GrainStorageProvider.AzureBlob),
        [$"{GrainStorageOptions.Section}:{nameof(GrainStorageOptions.ConnectionString)}"] = connectionString,
        [$"{GrainStorageOptions.Section}:{nameof(GrainStorageOptions.ContainerName)}"] = containerName,
    };

    /// <inheritdoc />
    public async ValueTask InitializeAsync()
    {
        await Azurite.InitializeAsync();
        var settings = Settings(Azurite.ConnectionString);
        var builder = new InProcessTestClusterBuilder(1);
        builder.ConfigureSiloHost((_, host) => host.Configuration.AddInMemoryCollection(settings));
        builder.ConfigureSilo((_, silo) => silo.AddMiningGrainStorage(GrainStorageProvider.AzureBlob));
        cluster = builder.Build();
        await cluster.DeployAsync();
    }

    /// <summary>
    /// Another silo, in a cluster of its own, with the grain storage added as the silo adds it: its provider has its own
    /// client and connection, as a second silo's has. <paramref name="containerName"/> and <paramref name="retries"/> give
    /// settings the fixture's silo does not have.
    /// </summary>
    public static Task<GrainStorageSilo> NewSiloAsync(string connectionString, string containerName = ContainerName, Action<Azure.Core.RetryOptions>? retries = null) =>
        GrainStorageSilo.StartAsync(Settings(connectionString, containerName), retries);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (cluster is not null)
        {
            await cluster.StopAllSilosAsync();
            await cluster.DisposeAsync();
            cluster = null;
        }

        await Azurite.DisposeAsync();
    }
}
