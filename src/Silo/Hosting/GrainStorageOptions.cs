namespace Mining.Silo.Hosting;

/// <summary>Where the grains keep their state, bound from <c>Mining:GrainStorage</c>.</summary>
public sealed record GrainStorageOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Mining:GrainStorage";

    /// <summary>Memory (default) or AzureBlob.</summary>
    public GrainStorageProvider Provider { get; init; } = GrainStorageProvider.Memory;

    /// <summary>Azure Storage connection string; required when <see cref="Provider"/> is AzureBlob.</summary>
    public string? ConnectionString { get; init; }

    /// <summary>The container holding one blob per grain state; created at start when missing.</summary>
    public string ContainerName { get; init; } = "grain-state";
}
