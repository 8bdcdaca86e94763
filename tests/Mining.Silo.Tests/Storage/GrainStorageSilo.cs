using Azure.Storage.Blobs;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Mining.Silo.Hosting;
using Mining.Silo.Storage;
using Orleans.Configuration;
using Orleans.Providers;
using Orleans.Storage;

namespace Mining.Silo.Tests.Storage;

/// <summary>A started silo host whose only provider of note is the grain storage the settings choose, added as the silo adds it.</summary>
public sealed class GrainStorageSilo : IAsyncDisposable
{
    private readonly IHost host;

    private GrainStorageSilo(IHost host) => this.host = host;

    /// <summary>The silo's default grain storage, initialized by the silo's start.</summary>
    public IGrainStorage Storage => host.Services.GetRequiredKeyedService<IGrainStorage>(ProviderConstants.DEFAULT_STORAGE_PROVIDER_NAME);

    /// <summary>Starts a localhost silo with <paramref name="settings"/>; <paramref name="retries"/> changes the Azure client's retry options.</summary>
    public static async Task<GrainStorageSilo> StartAsync(Dictionary<string, string?> settings, Action<Azure.Core.RetryOptions>? retries = null)
    {
        var ports = FreePorts.Take(2);
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(settings);
        builder.UseOrleans(silo =>
        {
            silo.UseLocalhostClustering(ports[0], ports[1], serviceId: "storage-" + Guid.NewGuid().ToString("N"), clusterId: "storage");
            silo.AddMiningGrainStorage(GrainStorageProvider.AzureBlob);
            if (retries is not null)
            {
                // The client carries the retry options, so a test that changes them gives the provider a client of its own.
                var client = AzureStorageSettings.ClientOptions();
                retries(client.Retry);
                var connectionString = settings[$"{GrainStorageOptions.Section}:{nameof(GrainStorageOptions.ConnectionString)}"];
                silo.Services.PostConfigureAll<AzureBlobStorageOptions>(options => options.BlobServiceClient = new BlobServiceClient(connectionString, client));
            }
        });
        var host = builder.Build();
        await host.StartAsync(TestContext.Current.CancellationToken);
        return new GrainStorageSilo(host);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await host.StopAsync(CancellationToken.None);
        host.Dispose();
    }
}
