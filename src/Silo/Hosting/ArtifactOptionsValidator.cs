using Microsoft.Extensions.Options;

namespace Mining.Silo.Hosting;

/// <summary>Checks <see cref="ArtifactOptions"/> at start-up and creates the artifact folder, so a bad path fails before any job.</summary>
public sealed class ArtifactOptionsValidator : IValidateOptions<ArtifactOptions>
{
    public ValidateOptionsResult Validate(string? name, ArtifactOptions options)
    {
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
