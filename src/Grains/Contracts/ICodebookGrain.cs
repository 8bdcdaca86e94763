namespace Mining.Grains.Contracts;

/// <summary>A named, versioned codebook: each completed job adds a version (previous prototypes plus the job's, deduplicated); every version stays exportable.</summary>
[Alias("Mining.ICodebookGrain")]
public interface ICodebookGrain : IGrainWithStringKey
{
    /// <summary>Builds the next version from a job's stored results; the same job again returns the version it built.</summary>
    [Alias("AddJob")]
    Task<CodebookVersionInfo> AddJob(CodebookJobInput input);

    /// <summary>All versions, oldest first.</summary>
    [Alias("GetVersions")]
    Task<IReadOnlyList<CodebookVersionInfo>> GetVersions();

    /// <summary>Opens a version (the latest when null) for export: its number and the byte length of its Parquet v1 file.</summary>
    [Alias("OpenExport")]
    Task<CodebookExport> OpenExport(int? version);

    /// <summary>Up to <paramref name="count"/> (at most <see cref="CodebookExport.MaxChunkBytes"/>) bytes of a version's Parquet v1 file from <paramref name="offset"/>; fewer only at its end.</summary>
    [Alias("ReadExportChunk")]
    Task<byte[]> ReadExportChunk(int version, long offset, int count);
}
