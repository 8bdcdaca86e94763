using Azure.Storage.Blobs;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Mining.Silo.Storage;
using Orleans.Providers;
using Orleans.Serialization.Serializers;
using Orleans.Storage;
using Orleans.TestingHost;

namespace Mining.Silo.Tests.Storage;

/// <summary>A fresh Azurite and a one-silo in-process cluster whose default grain storage is <see cref="AzureBlobGrainStorage"/> over it.</summary>
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

    /// <summary>The options of the silo's default grain storage, as the silo completed them.</summary>
    public AzureBlobGrainStorageOptions DefaultOptions =>
        Cluster.GetSiloServiceProvider().GetRequiredService<IOptionsMonitor<AzureBlobGrainStorageOptions>>().Get(ProviderConstants.DEFAULT_STORAGE_PROVIDER_NAME);

    /// <summary>A plain Azure client on the default storage's container, to look at the blobs from outside.</summary>
    public BlobContainerClient Container => new BlobServiceClient(Azurite.ConnectionString).GetBlobContainerClient(ContainerName);

    /// <inheritdoc />
    public async ValueTask InitializeAsync()
    {
        await Azurite.InitializeAsync();
        var connectionString = Azurite.ConnectionString;
        var builder = new InProcessTestClusterBuilder(1);
        builder.ConfigureSilo((_, silo) => silo.AddAzureBlobGrainStorageAsDefault(options =>
        {
            options.ConnectionString = connectionString;
            options.ContainerName = ContainerName;
        }));
        cluster = builder.Build();
        await cluster.DeployAsync();
    }

    /// <summary>
    /// A storage built outside the silo with the default provider's serializer and the silo's activators, for settings the default
    /// provider does not have (another endpoint or container, short retries).
    /// </summary>
    public AzureBlobGrainStorage NewStorage(string connectionString, Action<AzureBlobGrainStorageOptions>? configure = null)
    {
        var services = Cluster.GetSiloServiceProvider();
        var options = new AzureBlobGrainStorageOptions
        {
            ConnectionString = connectionString,
            ContainerName = ContainerName,
            GrainStorageSerializer = DefaultOptions.GrainStorageSerializer,
        };
        configure?.Invoke(options);
        return new AzureBlobGrainStorage("test", options, services.GetRequiredService<IActivatorProvider>(), NullLogger<AzureBlobGrainStorage>.Instance);
    }

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
