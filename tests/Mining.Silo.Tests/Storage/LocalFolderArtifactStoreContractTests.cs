using Mining.Grains.Artifacts;

namespace Mining.Silo.Tests.Storage;

/// <summary>The artifact store contract on <see cref="LocalFolderArtifactStore"/>, the reference the Azure store is held to.</summary>
public sealed class LocalFolderArtifactStoreContractTests : ArtifactStoreContract
{
    /// <inheritdoc />
    protected override IArtifactStore NewStore() => new LocalFolderArtifactStore(TestData.NewTempFolder());
}
