namespace Mining.Probe.Codebooks;

/// <summary>A redundancy codebook: prototypes and where they came from.</summary>
/// <param name="Metadata">The file-level metadata (model, hidden size, version, parameters).</param>
/// <param name="Entries">The prototypes, one per Parquet row, in file order.</param>
public sealed record Codebook(CodebookMetadata Metadata, IReadOnlyList<CodebookEntry> Entries)
{
    /// <summary>Number of prototypes.</summary>
    public int Count => Entries.Count;
}
