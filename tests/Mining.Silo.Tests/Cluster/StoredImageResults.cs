using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Mining.Grains.Artifacts;
using Mining.Kernels.Experiments;

namespace Mining.Silo.Tests.Cluster;

/// <summary>A job's per-image results as the cluster stored them in its Azure Blob artifact container (read straight from Azurite, not through a grain).</summary>
public sealed class StoredImageResults(string connectionString, string containerName = "artifacts")
{
    private readonly BlobContainerClient container = new(connectionString, containerName);

    /// <summary>The keys under the job's image-results prefix; none when the container does not exist yet.</summary>
    public async Task<IReadOnlyList<string>> KeysAsync(string jobId, CancellationToken cancellation)
    {
        if (!await container.ExistsAsync(cancellation))
        {
            return [];
        }

        var keys = new List<string>();
        await foreach (var blob in container.GetBlobsAsync(BlobTraits.None, BlobStates.None, ArtifactKeys.ImageResultsPrefix(jobId), cancellation))
        {
            keys.Add(blob.Name);
        }

        return keys;
    }

    /// <summary>Every stored result of the job with its key.</summary>
    public async Task<IReadOnlyList<(string Key, ImageResult Result)>> ReadAsync(string jobId, CancellationToken cancellation)
    {
        var results = new List<(string, ImageResult)>();
        foreach (var key in await KeysAsync(jobId, cancellation))
        {
            var content = await container.GetBlobClient(key).DownloadContentAsync(cancellation);
            results.Add((key, ArtifactCodec.DecodeImageResult(content.Value.Content.ToArray(), key)));
        }

        return results;
    }
}
