using Azure;
using Azure.Core;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Microsoft.Extensions.Logging;
using Orleans.Serialization.Serializers;
using Orleans.Storage;

namespace Mining.Silo.Storage;

/// <summary>Orleans grain storage that keeps each grain state in one Azure blob, guarded by the blob's ETag.</summary>
/// <remarks>
/// <para>The blob is named by <see cref="GrainStateBlobName"/> and holds the state as written by
/// <see cref="AzureBlobGrainStorageOptions.GrainStorageSerializer"/>: by default Orleans' binary serializer, so the
/// [GenerateSerializer] state records keep their version tolerance; a serializer registered under the provider's
/// name replaces it.</para>
/// <para>Optimistic concurrency: a read sets <see cref="IGrainState{T}.ETag"/> to the blob's ETag (null when there is no
/// blob). A write sends If-Match with that ETag, or If-None-Match: * when it is null (the grain believes there is no
/// record); a clear deletes with If-Match, or with a null ETag only checks that there is no blob. A rejection (412,
/// 409, a blob that vanished, or a blob where none was expected) becomes an <see cref="InconsistentStateException"/>
/// carrying the stored ETag (null: no blob) and the expected one.</para>
/// <para>Clear deletes the blob (no tombstone): afterwards a read gives a new state, RecordExists false and ETag null,
/// exactly as for a grain never written, and the next write creates the blob again under If-None-Match: *.</para>
/// <para>Transient faults (no answer, 408, 429, 5xx) are retried by the Azure SDK with exponential back-off
/// (<see cref="AzureBlobGrainStorageOptions.MaxRetries"/>, <see cref="AzureBlobGrainStorageOptions.RetryDelay"/>);
/// when they are used up the call fails with an <see cref="OrleansException"/> naming the provider, blob and endpoint.</para>
/// </remarks>
public sealed partial class AzureBlobGrainStorage : IGrainStorage, ILifecycleParticipant<ISiloLifecycle>
{
    private readonly string name;
    private readonly AzureBlobGrainStorageOptions options;
    private readonly IGrainStorageSerializer serializer;
    private readonly IActivatorProvider activators;
    private readonly ILogger<AzureBlobGrainStorage> logger;
    private readonly BlobContainerClient container;

    /// <summary>Creates the provider <paramref name="name"/>; <paramref name="options"/> must be valid and have a serializer.</summary>
    public AzureBlobGrainStorage(
        string name,
        AzureBlobGrainStorageOptions options,
        IActivatorProvider activatorProvider,
        ILogger<AzureBlobGrainStorage> logger)
    {
        this.name = name;
        this.options = options;
        serializer = options.GrainStorageSerializer
            ?? throw new ArgumentException($"{nameof(AzureBlobGrainStorageOptions)}.{nameof(options.GrainStorageSerializer)} of grain storage '{name}' is not set", nameof(options));
        activators = activatorProvider;
        this.logger = logger;
        container = new BlobServiceClient(options.ConnectionString, ClientOptions(options)).GetBlobContainerClient(options.ContainerName);
    }

    /// <inheritdoc />
    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe($"{nameof(AzureBlobGrainStorage)}-{name}", ServiceLifecycleStage.ApplicationServices, InitializeAsync);

    /// <summary>Creates the container when missing; the silo calls this at start, so a wrong endpoint stops the silo there.</summary>
    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        try
        {
            await container.CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (IsServiceFailure(e))
        {
            throw ServiceFailure("create the container", null, e);
        }

        LogContainerReady(name, container.Uri);
    }

    /// <inheritdoc />
    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        ReadStateAsync(stateName, grainId, grainState, CancellationToken.None);

    /// <inheritdoc />
    public async Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState, CancellationToken cancellationToken)
    {
        var blob = container.GetBlobClient(GrainStateBlobName.For(stateName, grainId));
        BlobDownloadResult download;
        try
        {
            download = (await blob.DownloadContentAsync(cancellationToken).ConfigureAwait(false)).Value;
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            // No blob (or no container yet): the grain has never been written, or was cleared.
            Reset(grainState);
            return;
        }
        catch (Exception e) when (IsServiceFailure(e))
        {
            throw ServiceFailure("read", blob.Name, e);
        }

        var stored = download.Content.ToMemory().IsEmpty ? default : Deserialize<T>(download.Content, blob.Name);
        grainState.State = stored ?? NewState<T>();
        grainState.ETag = download.Details.ETag.ToString();
        grainState.RecordExists = stored is not null;
    }

    /// <inheritdoc />
    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        WriteStateAsync(stateName, grainId, grainState, CancellationToken.None);

    /// <inheritdoc />
    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState, CancellationToken cancellationToken)
    {
        var blob = container.GetBlobClient(GrainStateBlobName.For(stateName, grainId));
        var upload = new BlobUploadOptions { Conditions = ConditionsFor(grainState.ETag) };
        var content = serializer.Serialize(grainState.State);
        BlobContentInfo written;
        try
        {
            written = await UploadAsync(blob, content, upload, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException e) when (IsConcurrencyConflict(e))
        {
            throw await InconsistentAsync("write", blob, grainState.ETag, e, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (IsServiceFailure(e))
        {
            throw ServiceFailure("write", blob.Name, e);
        }

        grainState.ETag = written.ETag.ToString();
        grainState.RecordExists = true;
    }

    /// <inheritdoc />
    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        ClearStateAsync(stateName, grainId, grainState, CancellationToken.None);

    /// <inheritdoc />
    public async Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState, CancellationToken cancellationToken)
    {
        var blob = container.GetBlobClient(GrainStateBlobName.For(stateName, grainId));
        try
        {
            if (grainState.ETag is null)
            {
                // The grain believes there is no record. Azurite ignores If-None-Match: * on a delete, so check instead;
                // nothing is deleted on this path, so a blob created right after the check is simply not cleared.
                var existing = await blob.GetPropertiesAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
                throw Inconsistent("clear", blob, existing.Value.ETag.ToString(), expectedETag: null, rejection: null);
            }

            await blob.DeleteAsync(DeleteSnapshotsOption.None, ConditionsFor(grainState.ETag), cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException e) when (e.Status == 404 && grainState.ETag is null)
        {
            // The grain expected no record and there is none: nothing to clear.
        }
        catch (RequestFailedException e) when (IsConcurrencyConflict(e) || e.Status == 404)
        {
            // 404 with an ETag: the blob the grain read is gone, someone else cleared it.
            throw await InconsistentAsync("clear", blob, grainState.ETag, e, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (IsServiceFailure(e))
        {
            throw ServiceFailure("clear", blob.Name, e);
        }

        Reset(grainState);
    }

    private async Task<BlobContentInfo> UploadAsync(BlobClient blob, BinaryData content, BlobUploadOptions upload, CancellationToken cancellationToken)
    {
        try
        {
            return (await blob.UploadAsync(content, upload, cancellationToken).ConfigureAwait(false)).Value;
        }
        catch (RequestFailedException e) when (e.ErrorCode == BlobErrorCode.ContainerNotFound)
        {
            // Someone deleted the container after start-up: bring it back once rather than fail every write.
            await container.CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            return (await blob.UploadAsync(content, upload, cancellationToken).ConfigureAwait(false)).Value;
        }
    }

    private static BlobRequestConditions ConditionsFor(string? expectedETag) => expectedETag is null
        ? new BlobRequestConditions { IfNoneMatch = ETag.All }
        : new BlobRequestConditions { IfMatch = new ETag(expectedETag) };

    // 412: If-Match failed; 409: If-None-Match: * met an existing blob; 404 on a conditional write: the blob vanished.
    private static bool IsConcurrencyConflict(RequestFailedException e) =>
        e.Status is 412 or 409 || e.ErrorCode == BlobErrorCode.BlobNotFound;

    private async Task<InconsistentStateException> InconsistentAsync(
        string operation, BlobClient blob, string? expectedETag, RequestFailedException rejection, CancellationToken cancellationToken)
    {
        string? storedETag;
        try
        {
            storedETag = (await blob.GetPropertiesAsync(cancellationToken: cancellationToken).ConfigureAwait(false)).Value.ETag.ToString();
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            storedETag = null;
        }
        catch (Exception e) when (IsServiceFailure(e))
        {
            storedETag = "unknown";
        }

        return Inconsistent(operation, blob, storedETag, expectedETag, rejection);
    }

    private InconsistentStateException Inconsistent(
        string operation, BlobClient blob, string? storedETag, string? expectedETag, RequestFailedException? rejection)
    {
        LogConflict(name, operation, blob.Name, expectedETag, storedETag);
        return new InconsistentStateException(
            $"Grain storage '{name}' refused to {operation} blob '{blob.Name}' in container '{container.Name}': the grain expected " +
            $"{Describe(expectedETag, "no record")} but storage holds {Describe(storedETag, "no record")}; the state changed since it was read.",
            storedETag,
            expectedETag,
            rejection);
    }

    private static string Describe(string? eTag, string none) => eTag is null ? none : $"ETag {eTag}";

    private static bool IsServiceFailure(Exception e) => e is RequestFailedException or AggregateException;

    private OrleansException ServiceFailure(string operation, string? blobName, Exception e)
    {
        var what = blobName is null ? $"container '{container.Name}'" : $"blob '{blobName}' in container '{container.Name}'";
        var why = e switch
        {
            // Azure.Core throws AggregateException once every retry of a request without an answer has failed.
            AggregateException a => $"no answer after {options.MaxRetries} retries ({FirstLine(a.InnerExceptions.LastOrDefault()?.Message ?? a.Message)})",
            RequestFailedException { Status: 0 or 408 or 429 or >= 500 } r => $"still failing after {options.MaxRetries} retries with {r.Status} {r.ErrorCode}",
            RequestFailedException r => $"refused with {r.Status} {r.ErrorCode}: {FirstLine(r.Message)}",
            _ => e.Message,
        };
        return new OrleansException(
            $"Grain storage '{name}' could not {operation} {what} at {container.Uri.GetLeftPart(UriPartial.Authority)}: {why}. " +
            $"Check that the storage service is running and {nameof(AzureBlobGrainStorageOptions)}.{nameof(AzureBlobGrainStorageOptions.ConnectionString)}.",
            e);
    }

    private static string FirstLine(string text) => text.Split('\n', 2)[0].Trim();

    private T? Deserialize<T>(BinaryData content, string blobName)
    {
        try
        {
            return serializer.Deserialize<T>(content);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new OrleansException(
                $"Grain storage '{name}' could not read blob '{blobName}' in container '{container.Name}' as {typeof(T)}: {e.Message}", e);
        }
    }

    private void Reset<T>(IGrainState<T> grainState)
    {
        grainState.State = NewState<T>();
        grainState.ETag = null;
        grainState.RecordExists = false;
    }

    private T NewState<T>() => activators.GetActivator<T>().Create();

    private static BlobClientOptions ClientOptions(AzureBlobGrainStorageOptions options)
    {
        var client = new BlobClientOptions();
        client.Retry.Mode = RetryMode.Exponential;
        client.Retry.MaxRetries = options.MaxRetries;
        client.Retry.Delay = options.RetryDelay;
        client.Retry.MaxDelay = options.MaxRetryDelay;
        client.Retry.NetworkTimeout = options.NetworkTimeout;
        return client;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Grain storage {Name} keeps grain state in {Container}")]
    private partial void LogContainerReady(string name, Uri container);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Grain storage {Name} refused to {Operation} {Blob}: expected ETag {Expected}, stored {Stored}")]
    private partial void LogConflict(string name, string operation, string blob, string? expected, string? stored);
}
