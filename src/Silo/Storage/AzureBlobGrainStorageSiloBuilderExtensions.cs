using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Orleans.Providers;
using Orleans.Runtime.Hosting;

namespace Mining.Silo.Storage;

/// <summary>Registers <see cref="AzureBlobGrainStorage"/> providers on a silo.</summary>
public static class AzureBlobGrainStorageSiloBuilderExtensions
{
    /// <summary>Makes Azure blob storage the grain storage of grains that name no provider.</summary>
    public static ISiloBuilder AddAzureBlobGrainStorageAsDefault(this ISiloBuilder builder, Action<AzureBlobGrainStorageOptions> configure) =>
        builder.AddAzureBlobGrainStorage(ProviderConstants.DEFAULT_STORAGE_PROVIDER_NAME, configure);

    /// <summary>Adds the Azure blob grain storage provider <paramref name="name"/>; its options are validated when the host starts.</summary>
    public static ISiloBuilder AddAzureBlobGrainStorage(this ISiloBuilder builder, string name, Action<AzureBlobGrainStorageOptions> configure)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(configure);
        var services = builder.Services;
        services.AddOptions<AzureBlobGrainStorageOptions>(name).Configure(configure).ValidateOnStart();
        services.AddSingleton<IValidateOptions<AzureBlobGrainStorageOptions>>(new AzureBlobGrainStorageOptionsValidator(name));
        services.TryAddEnumerable(ServiceDescriptor.Transient<IPostConfigureOptions<AzureBlobGrainStorageOptions>, AzureBlobGrainStorageOptionsDefaults>());
        services.AddGrainStorage(name, static (provider, key) => ActivatorUtilities.CreateInstance<AzureBlobGrainStorage>(
            provider, key, provider.GetRequiredService<IOptionsMonitor<AzureBlobGrainStorageOptions>>().Get(key)));
        return builder;
    }
}
