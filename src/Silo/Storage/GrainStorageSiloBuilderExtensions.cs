using Azure.Storage.Blobs;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Mining.Grains.Hosting;
using Mining.Silo.Hosting;
using Orleans.Configuration;
using Orleans.Providers;
using Orleans.Serialization;
using Orleans.Storage;

namespace Mining.Silo.Storage;

/// <summary>Adds the grains' storage that <c>Mining:GrainStorage</c> chooses to a silo.</summary>
public static class GrainStorageSiloBuilderExtensions
{
    /// <summary>
    /// The grain storage <see cref="MiningGrainStorage.Name"/>: in the silo's memory, or (AzureBlob) Orleans' Azure blob
    /// provider on <c>Mining:GrainStorage:ConnectionString</c> and <c>Mining:GrainStorage:ContainerName</c>, which is
    /// then also the default storage. One blob per grain state, written with an ETag condition, so of two activations
    /// writing from one ETag exactly one wins.
    /// </summary>
    public static ISiloBuilder AddMiningGrainStorage(this ISiloBuilder silo, GrainStorageProvider provider)
    {
        if (provider != GrainStorageProvider.AzureBlob)
        {
            return silo.AddMemoryGrainStorage(MiningGrainStorage.Name);
        }

        foreach (var name in new[] { MiningGrainStorage.Name, ProviderConstants.DEFAULT_STORAGE_PROVIDER_NAME })
        {
            silo.AddAzureBlobGrainStorage(name, (OptionsBuilder<AzureBlobStorageOptions> blobs) => blobs.Configure<IConfiguration, Serializer>(ConfigureBlobs));
        }

        return silo;
    }

    /// <summary>
    /// Unvalidated: the silo creates its providers before ValidateOnStart runs, and GrainStorageOptionsValidator names
    /// the keys then (SettingsCheck runs it before the silo is created).
    /// </summary>
    private static void ConfigureBlobs(AzureBlobStorageOptions blobs, IConfiguration configuration, Serializer serializer)
    {
        var mining = ProfileSettings.Read<GrainStorageOptions>(configuration, GrainStorageOptions.Section);
        blobs.ContainerName = mining.ContainerName;
        if (!string.IsNullOrWhiteSpace(mining.ConnectionString) && AzureStorageSettings.ConnectionStringProblem(mining.ConnectionString) is null)
        {
            blobs.BlobServiceClient = new BlobServiceClient(mining.ConnectionString, AzureStorageSettings.ClientOptions());
        }

        // Orleans' binary serializer, not the silo-wide IGrainStorageSerializer: that one is Newtonsoft JSON with $type
        // names, which refuses the compiler-generated list types that collection expressions put into the contracts'
        // IReadOnlyList members and ignores the [Id]/[Alias] attributes that keep stored state readable across renames.
        blobs.GrainStorageSerializer = new OrleansGrainStorageSerializer(serializer);
    }
}
