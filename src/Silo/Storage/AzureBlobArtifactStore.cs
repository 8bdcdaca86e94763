using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Mining.Grains.Artifacts;

namespace Mining.Silo.Storage;

/// <summary>
/// An <see cref="IArtifactStore"/> on one Azure blob container: key <c>a/b/c.parquet</c> is the blob
/// <c>a/b/c.parquet</c>. A Put is one upload request, which Azure commits whole or not at all (the SDK sends
/// contents up to its single-upload limit, 256 MiB, in one Put Blob; larger ones as blocks committed by one final
/// Put Block List), so a reader sees the old blob, the new one or none.
/// </summary>
/// <remarks>
/// Keys follow the same rules as <see cref="LocalFolderArtifactStore"/>'s ('/'-separated, no empty, '.' or '..'
/// segment, no backslash), so a key valid for one store is valid for the other. Transient faults (no answer, 408,
/// 429, 5xx) are retried by the Azure SDK with exponential back-off (<see cref="AzureStorageSettings.ClientOptions"/>, as for the grain storage).
/// The container is created on first write when missing; reads of a missing container find nothing.
/// </remarks>
public sealed class AzureBlobArtifactStore : IArtifactStore
{
    private readonly BlobContainerClient container;
    private volatile bool containerReady;

    /// <summary>A store on container <paramref name="containerName"/> of the account in <paramref name="connectionString"/>.</summary>
    public AzureBlobArtifactStore(string connectionString, string containerName)
        : this(new BlobServiceClient(connectionString, AzureStorageSettings.ClientOptions()).GetBlobContainerClient(containerName))
    {
    }

    /// <summary>A store on <paramref name="container"/>, with that client's retry settings.</summary>
    public AzureBlobArtifactStore(BlobContainerClient container)
    {
        ArgumentNullException.ThrowIfNull(container);
        if (!AzureStorageSettings.IsContainerName(container.Name))
        {
            throw new ArgumentException($"container '{container.Name}': {AzureStorageSettings.ContainerNameRule}", nameof(container));
        }

        this.container = container;
    }

    /// <summary>The container's address (no credentials).</summary>
    public Uri ContainerUri => container.Uri;

    /// <inheritdoc />
    public async Task PutAsync(string key, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default)
    {
        var blob = Blob(key);
        if (!containerReady)
        {
            await EnsureContainerAsync(cancellationToken);
        }

        try
        {
            await blob.UploadAsync(BinaryData.FromBytes(content), overwrite: true, cancellationToken);
        }
        catch (RequestFailedException e) when (e.ErrorCode == BlobErrorCode.ContainerNotFound)
        {
            // Someone deleted the container since: bring it back once rather than fail every write.
            containerReady = false;
            await EnsureContainerAsync(cancellationToken);
            await blob.UploadAsync(BinaryData.FromBytes(content), overwrite: true, cancellationToken);
        }
    }

    /// <inheritdoc />
    public async Task<byte[]> GetAsync(string key, CancellationToken cancellationToken = default)
    {
        var blob = Blob(key);
        try
        {
            var download = await blob.DownloadContentAsync(cancellationToken);
            return download.Value.Content.ToArray();
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            throw new KeyNotFoundException($"artifact '{key}' does not exist (looked for blob '{blob.Name}' in {container.Uri})", e);
        }
    }

    /// <inheritdoc />
    public async Task<byte[]> GetRangeAsync(string key, long offset, int count, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var blob = Blob(key);
        try
        {
            if (count > 0)
            {
                var download = await blob.DownloadContentAsync(new BlobDownloadOptions { Range = new HttpRange(offset, count) }, cancellationToken);
                return download.Value.Content.ToArray();
            }
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            throw new KeyNotFoundException($"artifact '{key}' does not exist (looked for blob '{blob.Name}' in {container.Uri})", e);
        }
        catch (RequestFailedException e) when (e.Status == 416)
        {
            // Azure refuses a range that starts at the end (416 Range Not Satisfiable); the contract reads nothing there.
        }

        var length = await LengthAsync(key, cancellationToken);
        return offset <= length
            ? []
            : throw new ArgumentOutOfRangeException(nameof(offset), offset, $"artifact '{key}' has {length} bytes");
    }

    /// <inheritdoc />
    public async Task<long> LengthAsync(string key, CancellationToken cancellationToken = default)
    {
        var blob = Blob(key);
        try
        {
            return (await blob.GetPropertiesAsync(cancellationToken: cancellationToken)).Value.ContentLength;
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            throw new KeyNotFoundException($"artifact '{key}' does not exist (looked for blob '{blob.Name}' in {container.Uri})", e);
        }
    }

    /// <inheritdoc />
    public async Task<bool> ExistsAsync(string key, CancellationToken cancellationToken = default)
    {
        var blob = Blob(key);
        try
        {
            return (await blob.ExistsAsync(cancellationToken)).Value;
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return false;
        }
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<string>> ListAsync(string prefix, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        if (prefix.Length > 0)
        {
            CheckKey(prefix.TrimEnd('/'), nameof(prefix));
        }

        var keys = new List<string>();
        try
        {
            await foreach (var item in container.GetBlobsAsync(new GetBlobsOptions { Prefix = prefix.Length == 0 ? null : prefix }, cancellationToken))
            {
                keys.Add(item.Name);
            }
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return [];
        }

        // Azure lists in UTF-8 byte order, which differs from ordinal UTF-16 order for some characters: sort here.
        keys.Sort(StringComparer.Ordinal);
        return keys;
    }

    /// <inheritdoc />
    public async Task DeleteAsync(string key, CancellationToken cancellationToken = default)
    {
        var blob = Blob(key);
        try
        {
            await blob.DeleteIfExistsAsync(cancellationToken: cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            // No container: nothing to delete.
        }
    }

    private async Task EnsureContainerAsync(CancellationToken cancellationToken)
    {
        await container.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
        containerReady = true;
    }

    private BlobClient Blob(string key)
    {
        CheckKey(key, nameof(key));
        return container.GetBlobClient(key);
    }

    /// <summary>The key rule of every store (<see cref="ArtifactKeys.Check"/>), and Azure's limit on a blob name's length.</summary>
    private static void CheckKey(string key, string name)
    {
        ArtifactKeys.Check(key, name);
        if (key.Length > AzureStorageSettings.MaxBlobNameLength)
        {
            throw new ArgumentException($"artifact key '{key[..40]}...' is longer than Azure's {AzureStorageSettings.MaxBlobNameLength} characters", name);
        }
    }
}
