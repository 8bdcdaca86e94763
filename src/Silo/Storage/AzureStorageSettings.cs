using System.Text.RegularExpressions;
using Azure.Core;
using Azure.Storage.Blobs;
using Mining.Silo.Hosting;

namespace Mining.Silo.Storage;

/// <summary>Checks of the Azure Storage settings the blob grain storage and artifact store take, and the client options both use.</summary>
public static partial class AzureStorageSettings
{
    /// <summary>What an Azure container name must be, for messages.</summary>
    public const string ContainerNameRule =
        "an Azure container name is 3 to 63 lowercase letters, digits and single hyphens, starting and ending with a letter or digit";

    /// <summary>Azure's limit on a blob name's length.</summary>
    public const int MaxBlobNameLength = 1024;

    /// <summary>Retries of a transiently failing request (no answer, 408, 429, 5xx).</summary>
    public const int MaxRetries = 5;

    /// <summary>
    /// The Azure SDK client options of the grain storage and the artifact store: <see cref="MaxRetries"/> retries with
    /// exponential back-off from 0.8 s up to 30 s, each attempt waiting at most 100 s for the service.
    /// </summary>
    public static BlobClientOptions ClientOptions()
    {
        var client = new BlobClientOptions();
        client.Retry.Mode = RetryMode.Exponential;
        client.Retry.MaxRetries = MaxRetries;
        client.Retry.Delay = TimeSpan.FromMilliseconds(800);
        client.Retry.MaxDelay = TimeSpan.FromSeconds(30);
        client.Retry.NetworkTimeout = TimeSpan.FromSeconds(100);
        return client;
    }

    /// <summary>Whether <paramref name="name"/> is a valid Azure container name.</summary>
    public static bool IsContainerName(string? name) => ContainerNamePattern().IsMatch(name ?? "");

    /// <summary>Why the SDK cannot use <paramref name="connectionString"/>, or null when it can; never repeats the string (it holds the account key).</summary>
    public static string? ConnectionStringProblem(string connectionString)
    {
        try
        {
            _ = new BlobServiceClient(connectionString);
            return null;
        }
        catch (Exception e) when (e is FormatException or ArgumentException or InvalidOperationException)
        {
            return e.Message;
        }
    }

    /// <summary>
    /// The problems of a <c>ConnectionString</c> and <c>ContainerName</c> pair under <paramref name="section"/>, each
    /// naming its key and the environment variable that sets it.
    /// </summary>
    public static IEnumerable<string> Problems(string section, string? connectionString, string? containerName)
    {
        var connectionKey = SettingName.Describe($"{section}:ConnectionString");
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            yield return $"{connectionKey} must be set to an Azure Storage connection string when {section}:Provider is AzureBlob";
        }
        else if (ConnectionStringProblem(connectionString) is { } problem)
        {
            yield return $"{connectionKey} is not a usable Azure Storage connection string: {problem}";
        }

        if (!IsContainerName(containerName))
        {
            yield return $"{SettingName.Describe($"{section}:ContainerName")} is '{containerName}'; {ContainerNameRule}";
        }
    }

    // https://learn.microsoft.com/rest/api/storageservices/naming-and-referencing-containers--blobs--and-metadata#container-names
    [GeneratedRegex("^(?=.{3,63}$)[a-z0-9]+(-[a-z0-9]+)*$")]
    private static partial Regex ContainerNamePattern();
}
