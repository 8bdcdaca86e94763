namespace Mining.Silo.Hosting;

/// <summary>Where per-image results and codebook versions are stored, bound from <c>Mining:Artifacts</c>.</summary>
public sealed record ArtifactOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Mining:Artifacts";

    /// <summary>Folder (default) or AzureBlob.</summary>
    public ArtifactProvider Provider { get; init; } = ArtifactProvider.Folder;

    /// <summary>The local artifact folder (relative paths resolve against the working directory). Silos of one cluster must share it.</summary>
    public string Root { get; init; } = Path.Combine(".out", "artifacts");

    /// <summary>Azure Storage connection string; required when <see cref="Provider"/> is AzureBlob.</summary>
    public string? ConnectionString { get; init; }

    /// <summary>The container holding the artifacts when <see cref="Provider"/> is AzureBlob; created when missing.</summary>
    public string ContainerName { get; init; } = "artifacts";

    /// <summary>The root as an absolute path.</summary>
    public string FullRoot => Path.GetFullPath(Root);
}
