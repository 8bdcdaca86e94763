using Microsoft.Extensions.Options;

namespace Mining.Silo.Storage;

/// <summary>Rejects unusable <see cref="AzureBlobGrainStorageOptions"/> of one named provider before the silo starts, naming the setting.</summary>
public sealed class AzureBlobGrainStorageOptionsValidator(string providerName) : IValidateOptions<AzureBlobGrainStorageOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, AzureBlobGrainStorageOptions options)
    {
        if (!string.Equals(name, providerName, StringComparison.Ordinal))
        {
            return ValidateOptionsResult.Skip;
        }

        var failures = new List<string>();
        void Fail(string setting, string problem) =>
            failures.Add($"{nameof(AzureBlobGrainStorageOptions)}.{setting} of grain storage '{providerName}' {problem}");

        if (string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            Fail(nameof(options.ConnectionString), "is empty; give an Azure Storage connection string (for Azurite: DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=...;BlobEndpoint=http://127.0.0.1:10000/devstoreaccount1;)");
        }
        else if (AzureStorageSettings.ConnectionStringProblem(options.ConnectionString) is { } problem)
        {
            // The message of the SDK's parser is kept, never the string itself: it holds the account key.
            Fail(nameof(options.ConnectionString), $"is not a usable Azure Storage connection string: {problem}");
        }

        if (!AzureStorageSettings.IsContainerName(options.ContainerName))
        {
            Fail(nameof(options.ContainerName), $"is '{options.ContainerName}'; {AzureStorageSettings.ContainerNameRule}");
        }

        if (options.MaxRetries < 0)
        {
            Fail(nameof(options.MaxRetries), $"is {options.MaxRetries}; it must be 0 or more");
        }

        if (options.RetryDelay <= TimeSpan.Zero)
        {
            Fail(nameof(options.RetryDelay), $"is {options.RetryDelay}; it must be positive");
        }

        if (options.MaxRetryDelay < options.RetryDelay)
        {
            Fail(nameof(options.MaxRetryDelay), $"is {options.MaxRetryDelay}; it must be at least {nameof(options.RetryDelay)} ({options.RetryDelay})");
        }

        if (options.NetworkTimeout <= TimeSpan.Zero)
        {
            Fail(nameof(options.NetworkTimeout), $"is {options.NetworkTimeout}; it must be positive");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
