namespace Mining.Grains.Registry;

/// <summary>The job ids, the keys they were submitted with and the codebook names a <see cref="RegistryGrain"/> has recorded.</summary>
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

    /// <summary>
    /// The id of the API key each job was admitted for (the key's id, never the key), by job id; jobs submitted
    /// without the HTTP API have none. An id whose job never started stays until a job of that id is admitted again.
    /// </summary>
    [Id(2)]
    public Dictionary<string, string> JobKeys { get; set; } = [];
}
