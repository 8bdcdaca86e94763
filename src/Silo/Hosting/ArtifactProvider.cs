namespace Mining.Silo.Hosting;

/// <summary>Where per-image results and codebook versions are stored, <c>Mining:Artifacts:Provider</c>.</summary>
public enum ArtifactProvider
{
    /// <summary>A local or mounted folder (<c>Mining:Artifacts:Root</c>) that every silo of the cluster shares.</summary>
    Folder,

    /// <summary>An Azure blob container (<see cref="Storage.AzureBlobArtifactStore"/>).</summary>
    AzureBlob,
}
