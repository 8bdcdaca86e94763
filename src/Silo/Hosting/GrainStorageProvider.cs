namespace Mining.Silo.Hosting;

/// <summary>Where grain state lives, <c>Mining:GrainStorage:Provider</c>.</summary>
public enum GrainStorageProvider
{
    /// <summary>In the silos' memory: gone when the cluster stops (the embedded profile).</summary>
    Memory,

    /// <summary>One Azure blob per grain state (Orleans' Azure blob provider, <see cref="Storage.GrainStorageSiloBuilderExtensions.AddMiningGrainStorage"/>): outlives the cluster.</summary>
    AzureBlob,
}
