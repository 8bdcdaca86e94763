namespace Mining.Grains.Jobs;

/// <summary>The job ids a <see cref="JobRegistryGrain"/> has recorded, in submission order.</summary>
[GenerateSerializer]
[Alias("Mining.JobRegistryState")]
public sealed record JobRegistryState
{
    /// <summary>Job ids in submission order.</summary>
    [Id(0)]
    public List<string> JobIds { get; set; } = [];
}
