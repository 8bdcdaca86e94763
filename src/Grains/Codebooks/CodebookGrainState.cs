using Mining.Grains.Contracts;

namespace Mining.Grains.Codebooks;

/// <summary>What a codebook grain persists: its versions (ids, counts, artifact keys) — the prototypes live in the artifact store.</summary>
[GenerateSerializer]
[Alias("Mining.CodebookGrainState")]
public sealed record CodebookGrainState
{
    /// <summary>Every version, oldest first.</summary>
    [Id(0)]
    public List<CodebookVersionInfo> Versions { get; set; } = [];
}
