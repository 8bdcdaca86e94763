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

    /// <summary>A version (the latest when null) as Parquet v1 bytes.</summary>
    [Alias("Export")]
    Task<byte[]> Export(int? version);
}
