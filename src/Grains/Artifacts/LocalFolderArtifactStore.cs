namespace Mining.Grains.Artifacts;

/// <summary>
/// An <see cref="IArtifactStore"/> on a local (or mounted) folder: key <c>a/b/c.parquet</c> is the file
/// <c>{root}/a/b/c.parquet</c>. Writes go to a temporary file in the target folder that is moved into place when
/// complete, so a crash leaves either the previous blob or none.
/// </summary>
public sealed class LocalFolderArtifactStore : IArtifactStore
{
    private const string TemporarySuffix = ".partial";

    /// <summary>Opens (and creates if needed) the store rooted at <paramref name="root"/>.</summary>
    public LocalFolderArtifactStore(string root)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(root);
        Root = Path.GetFullPath(root);
        Directory.CreateDirectory(Root);
    }

    /// <summary>The absolute root folder.</summary>
    public string Root { get; }

    /// <inheritdoc />
    public async Task PutAsync(string key, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default)
    {
        var path = PathOf(key);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temporary = $"{path}.{Guid.NewGuid():N}{TemporarySuffix}";
        try
        {
            await using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, useAsync: true))
            {
                await stream.WriteAsync(content, cancellationToken);
                await stream.FlushAsync(cancellationToken);
            }

            File.Move(temporary, path, overwrite: true);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
    }

    /// <inheritdoc />
    public async Task<byte[]> GetAsync(string key, CancellationToken cancellationToken = default)
    {
        var path = PathOf(key);
        try
        {
            return await File.ReadAllBytesAsync(path, cancellationToken);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new KeyNotFoundException($"artifact '{key}' does not exist (looked for {path})", e);
        }
    }

    /// <inheritdoc />
    public async Task<byte[]> GetRangeAsync(string key, long offset, int count, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var path = PathOf(key);
        try
        {
            await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 81920, useAsync: true);
            if (offset > stream.Length)
            {
                throw new ArgumentOutOfRangeException(nameof(offset), offset, $"artifact '{key}' has {stream.Length} bytes");
            }

            var range = new byte[(int)Math.Min(count, stream.Length - offset)];
            stream.Position = offset;
            await stream.ReadExactlyAsync(range, cancellationToken);
            return range;
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new KeyNotFoundException($"artifact '{key}' does not exist (looked for {path})", e);
        }
    }

    /// <inheritdoc />
    public Task<long> LengthAsync(string key, CancellationToken cancellationToken = default)
    {
        var file = new FileInfo(PathOf(key));
        return file.Exists
            ? Task.FromResult(file.Length)
            : throw new KeyNotFoundException($"artifact '{key}' does not exist (looked for {file.FullName})");
    }

    /// <inheritdoc />
    public Task<bool> ExistsAsync(string key, CancellationToken cancellationToken = default) =>
        Task.FromResult(File.Exists(PathOf(key)));

    /// <inheritdoc />
    public Task<IReadOnlyList<string>> ListAsync(string prefix, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        if (prefix.Length > 0)
        {
            ArtifactKeys.Check(prefix.TrimEnd('/'), nameof(prefix));
        }

        // Only the folder that holds the prefix's last segment needs walking.
        var lastSlash = prefix.LastIndexOf('/');
        var folder = lastSlash < 0 ? Root : Path.Combine(Root, prefix[..lastSlash]);
        if (!Directory.Exists(folder))
        {
            return Task.FromResult<IReadOnlyList<string>>([]);
        }

        var keys = Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
            .Where(file => !file.EndsWith(TemporarySuffix, StringComparison.Ordinal))
            .Select(file => Path.GetRelativePath(Root, file).Replace(Path.DirectorySeparatorChar, '/'))
            .Where(key => key.StartsWith(prefix, StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .ToArray();
        return Task.FromResult<IReadOnlyList<string>>(keys);
    }

    /// <inheritdoc />
    public Task DeleteAsync(string key, CancellationToken cancellationToken = default)
    {
        try
        {
            File.Delete(PathOf(key));
        }
        catch (DirectoryNotFoundException)
        {
            // No folder for the key, so no blob: nothing to delete.
        }

        return Task.CompletedTask;
    }

    private string PathOf(string key)
    {
        ArtifactKeys.Check(key, nameof(key));
        return Path.Combine(Root, key.Replace('/', Path.DirectorySeparatorChar));
    }
}
