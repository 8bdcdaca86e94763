using Microsoft.Extensions.Options;
using Mining.Silo.Storage;

namespace Mining.Silo.Hosting;

/// <summary>
/// Checks <see cref="ArtifactOptions"/> at start-up, so a bad store fails before any job: the folder is created
/// (Folder), or the connection string and container name are checked (AzureBlob).
/// </summary>
public sealed class ArtifactOptionsValidator : IValidateOptions<ArtifactOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, ArtifactOptions options)
    {
        if (options.Provider == ArtifactProvider.AzureBlob)
        {
            var failures = AzureStorageSettings.Problems(ArtifactOptions.Section, options.ConnectionString, options.ContainerName).ToList();
            return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
        }

        if (string.IsNullOrWhiteSpace(options.Root))
        {
            return ValidateOptionsResult.Fail($"{ArtifactOptions.Section}:Root must name a folder");
        }

        try
        {
            Directory.CreateDirectory(options.FullRoot);
            return ValidateOptionsResult.Success;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            return ValidateOptionsResult.Fail($"{ArtifactOptions.Section}:Root '{options.Root}' cannot be used as a folder: {e.Message}");
        }
    }
}
