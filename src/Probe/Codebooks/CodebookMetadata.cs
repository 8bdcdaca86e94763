namespace Mining.Probe.Codebooks;

/// <summary>A codebook's file-level metadata (the <c>mining.*</c> key-value pairs of ARCHITECTURE §3).</summary>
/// <param name="Model">Model id the prototypes belong to.</param>
/// <param name="HiddenSize">Embedding width D.</param>
/// <param name="CodebookVersion">Version number kept by the codebook grain (1 for a local mine).</param>
/// <param name="JobIds">Jobs whose results went into it.</param>
/// <param name="ParametersJson">The mining parameters as JSON (snake_case names).</param>
/// <param name="CreatedUtc">When it was written.</param>
public sealed record CodebookMetadata(string Model, int HiddenSize, int CodebookVersion, IReadOnlyList<string> JobIds, string ParametersJson, DateTimeOffset CreatedUtc)
{
    /// <summary>
    /// The <c>mining.format_version</c> of the file this was read from; <see cref="CodebookFormat.Version"/> for a
    /// codebook built in memory. Writers ignore it and always write <see cref="CodebookFormat.Version"/>.
    /// </summary>
    public string FormatVersion { get; init; } = CodebookFormat.Version;

    /// <summary>
    /// The model family whose input space the prototypes live in (<c>mining.family</c>: "llava", "onevision" or
    /// "next"); null when the file does not say (codebooks written before the key existed).
    /// </summary>
    public string? Family { get; init; }

    /// <summary>The name of the mining preset the prototypes were mined with (<c>mining.preset</c>, e.g. <c>llava-onevision-qwen2-7b</c>); null when the file does not say.</summary>
    public string? Preset { get; init; }
}
