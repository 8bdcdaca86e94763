namespace Mining.Grains.Artifacts;

/// <summary>
/// Where big data lives (per-image results, candidate embeddings, codebook versions): blobs under '/'-separated keys
/// such as <c>jobs/{jobId}/images/{index:D6}.parquet</c>. A Put is all-or-nothing: a reader sees the old blob, the
/// new one or none, never a partial one.
/// </summary>
public interface IArtifactStore
{
    /// <summary>Stores <paramref name="content"/> under <paramref name="key"/>, replacing any blob there.</summary>
    Task PutAsync(string key, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default);

    /// <summary>The blob under <paramref name="key"/>; <see cref="KeyNotFoundException"/> naming the key if there is none.</summary>
    Task<byte[]> GetAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>
    /// Up to <paramref name="count"/> bytes of the blob under <paramref name="key"/> from <paramref name="offset"/>: fewer
    /// only where the blob ends, none at its end; <see cref="KeyNotFoundException"/> naming the key if there is none,
    /// <see cref="ArgumentOutOfRangeException"/> for an offset past the end. Lets a big blob travel in bounded pieces.
    /// </summary>
    Task<byte[]> GetRangeAsync(string key, long offset, int count, CancellationToken cancellationToken = default);

    /// <summary>The byte length of the blob under <paramref name="key"/>; <see cref="KeyNotFoundException"/> naming the key if there is none.</summary>
    Task<long> LengthAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>Whether a blob is stored under <paramref name="key"/>.</summary>
    Task<bool> ExistsAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>Every key that starts with <paramref name="prefix"/>, sorted ordinally.</summary>
    Task<IReadOnlyList<string>> ListAsync(string prefix, CancellationToken cancellationToken = default);

    /// <summary>Removes the blob under <paramref name="key"/>; nothing happens if there is none.</summary>
    Task DeleteAsync(string key, CancellationToken cancellationToken = default);
}
