namespace Mining.Grains.Codebooks;

/// <summary>The codebook names a <see cref="CodebookRegistryGrain"/> has recorded.</summary>
[GenerateSerializer]
[Alias("Mining.CodebookRegistryState")]
public sealed record CodebookRegistryState
{
    /// <summary>Codebook names, sorted ordinally.</summary>
    [Id(0)]
    public List<string> Names { get; set; } = [];
}
