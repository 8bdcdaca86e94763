using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Serialization;
using Orleans.Storage;

namespace Mining.Silo.Storage;

/// <summary>Fills in <see cref="AzureBlobGrainStorageOptions.GrainStorageSerializer"/> when the configuration left it unset.</summary>
/// <remarks>
/// Order: a serializer registered under the provider's name, else Orleans' binary serializer. Not the silo-wide
/// <see cref="IGrainStorageSerializer"/>: Orleans' default there is Newtonsoft JSON with $type names, which refuses
/// the compiler-generated list types that collection expressions put into the contracts' IReadOnlyList members
/// (the round-trip test caught it), and ignores the [Id]/[Alias] attributes that keep stored state readable
/// across renames. The binary serializer honours them.
/// </remarks>
internal sealed class AzureBlobGrainStorageOptionsDefaults(IServiceProvider services) : IPostConfigureOptions<AzureBlobGrainStorageOptions>
{
    public void PostConfigure(string? name, AzureBlobGrainStorageOptions options)
    {
        options.GrainStorageSerializer ??=
            (name is null ? null : services.GetKeyedService<IGrainStorageSerializer>(name))
            ?? new OrleansGrainStorageSerializer(services.GetRequiredService<Serializer>());
    }
}
