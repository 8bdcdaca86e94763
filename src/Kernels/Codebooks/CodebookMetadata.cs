namespace Mining.Kernels.Codebooks;

/// <summary>A codebook's file-level metadata (the <c>mining.*</c> key-value pairs of ARCHITECTURE §3).</summary>
/// <param name="Model">Model id the prototypes belong to.</param>
/// <param name="HiddenSize">Embedding width D.</param>
/// <param name="CodebookVersion">Version number kept by the codebook grain (1 for a local mine).</param>
/// <param name="JobIds">Jobs whose results went into it.</param>
/// <param name="ParametersJson">The mining parameters as JSON (snake_case names).</param>
/// <param name="CreatedUtc">When it was written.</param>
public sealed record CodebookMetadata(string Model, int HiddenSize, int CodebookVersion, IReadOnlyList<string> JobIds, string ParametersJson, DateTimeOffset CreatedUtc)
{
    /// <summary>The Parquet format version this code writes.</summary>
    public const string FormatVersion = "1";
}
