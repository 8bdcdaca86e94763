using System.Globalization;
using Mining.Grains.Contracts;

namespace Mining.Grains.Codebooks;

/// <summary>
/// Writes a codebook version to a stream chunk by chunk (<see cref="ICodebookGrain.OpenExport"/>, then
/// <see cref="ICodebookGrain.ReadExportChunk"/> until its length), so a version of any size exports without one grain
/// message holding it. The one way clients, the HTTP API and tests export.
/// </summary>
public static class CodebookExporter
{
    /// <summary>The chunk size callers use unless told otherwise: 1 MiB, a hundredth of Orleans' default message limit.</summary>
    public const int DefaultChunkBytes = 1024 * 1024;

    /// <summary>Opens a version (the latest when null) and writes its Parquet v1 bytes to <paramref name="destination"/>.</summary>
    public static async Task<CodebookExport> ExportToAsync(
        this ICodebookGrain codebook,
        int? version,
        Stream destination,
        CancellationToken cancellationToken = default,
        int chunkBytes = DefaultChunkBytes)
    {
        ArgumentNullException.ThrowIfNull(codebook);
        var export = await codebook.OpenExport(version);
        await codebook.CopyToAsync(export, destination, cancellationToken, chunkBytes);
        return export;
    }

    /// <summary>Writes the opened <paramref name="export"/>'s bytes to <paramref name="destination"/>, <paramref name="chunkBytes"/> at a time.</summary>
    public static async Task CopyToAsync(
        this ICodebookGrain codebook,
        CodebookExport export,
        Stream destination,
        CancellationToken cancellationToken = default,
        int chunkBytes = DefaultChunkBytes)
    {
        ArgumentNullException.ThrowIfNull(codebook);
        ArgumentNullException.ThrowIfNull(export);
        ArgumentNullException.ThrowIfNull(destination);
        ArgumentOutOfRangeException.ThrowIfLessThan(chunkBytes, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(chunkBytes, CodebookExport.MaxChunkBytes);
        for (var offset = 0L; offset < export.Length;)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var count = (int)Math.Min(chunkBytes, export.Length - offset);
            var chunk = await codebook.ReadExportChunk(export.Version, offset, count);
            if (chunk.Length != count)
            {
                // Versions are written once, so a short chunk means the artifact changed or went missing under us.
                throw new InvalidDataException(string.Create(
                    CultureInfo.InvariantCulture,
                    $"codebook '{export.Name}' version {export.Version}: {chunk.Length} bytes at offset {offset} where {count} were expected (the version has {export.Length})"));
            }

            await destination.WriteAsync(chunk, cancellationToken);
            offset += count;
        }
    }
}
