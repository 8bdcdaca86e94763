namespace Mining.Grains.Contracts;

/// <summary>
/// A codebook version opened for export: which version and how many bytes its Parquet file has. The bytes themselves
/// come from <see cref="ICodebookGrain.ReadExportChunk"/> in chunks of at most <see cref="MaxChunkBytes"/>, so no grain
/// message carries a whole version (a 4096-wide codebook of a few thousand prototypes passes Orleans' 100 MB message limit).
/// </summary>
[GenerateSerializer]
[Alias("Mining.CodebookExport")]
public sealed record CodebookExport(
    [property: Id(0)] string Name,
    [property: Id(1)] int Version,
    [property: Id(2)] long Length)
{
    /// <summary>The largest chunk the codebook grain reads in one call (4 MiB), far below any sensible message limit.</summary>
    public const int MaxChunkBytes = 4 * 1024 * 1024;
}
