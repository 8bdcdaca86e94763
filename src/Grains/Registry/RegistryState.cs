namespace Mining.Grains.Registry;

/// <summary>The job ids and codebook names a <see cref="RegistryGrain"/> has recorded.</summary>
[GenerateSerializer]
[Alias("Mining.RegistryState")]
public sealed record RegistryState
{
    /// <summary>Job ids in submission order.</summary>
    [Id(0)]
    public List<string> JobIds { get; set; } = [];

    /// <summary>Codebook names, sorted ordinally.</summary>
    [Id(1)]
    public List<string> CodebookNames { get; set; } = [];
}
