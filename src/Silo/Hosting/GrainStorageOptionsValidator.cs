using Microsoft.Extensions.Options;
using Mining.Silo.Storage;

namespace Mining.Silo.Hosting;

/// <summary>Checks <see cref="GrainStorageOptions"/> at start-up; each failure names its setting and environment variable.</summary>
public sealed class GrainStorageOptionsValidator : IValidateOptions<GrainStorageOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, GrainStorageOptions options)
    {
        if (options.Provider != GrainStorageProvider.AzureBlob)
        {
            return ValidateOptionsResult.Success;
        }

        var failures = AzureStorageSettings.Problems(GrainStorageOptions.Section, options.ConnectionString, options.ContainerName).ToList();
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
