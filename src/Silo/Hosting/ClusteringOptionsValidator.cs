using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Mining.Silo.Hosting;

/// <summary>Checks <see cref="ClusteringOptions"/> at start-up; each failure names its setting and environment variable.</summary>
public sealed class ClusteringOptionsValidator : IValidateOptions<ClusteringOptions>
{
    private const string RedisConnectionString = $"{ClusteringOptions.Section}:{nameof(ClusteringOptions.RedisConnectionString)}";

    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, ClusteringOptions options)
    {
        if (options.Provider != ClusteringProvider.Redis)
        {
            return ValidateOptionsResult.Success;
        }

        if (string.IsNullOrWhiteSpace(options.RedisConnectionString))
        {
            return ValidateOptionsResult.Fail(
                $"{SettingName.Describe(RedisConnectionString)} must be set when {ClusteringOptions.Section}:Provider is Redis, e.g. 127.0.0.1:6379");
        }

        try
        {
            _ = ConfigurationOptions.Parse(options.RedisConnectionString);
            return ValidateOptionsResult.Success;
        }
        catch (Exception e) when (e is ArgumentException or FormatException or RedisConnectionException)
        {
            // The parser's message only: the string may hold a password.
            return ValidateOptionsResult.Fail($"{SettingName.Describe(RedisConnectionString)} is not a Redis configuration string: {e.Message}");
        }
    }
}
