namespace Mining.Kernels.Codebooks;

/// <summary>A redundancy codebook: prototypes and where they came from.</summary>
public sealed record Codebook(CodebookMetadata Metadata, IReadOnlyList<CodebookEntry> Entries)
{
    /// <summary>Number of prototypes.</summary>
    public int Count => Entries.Count;
}
