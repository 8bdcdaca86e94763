using Mining.Grains.Artifacts;

namespace Mining.Grains.Tests.Artifacts;

/// <summary>
/// What only the folder store does. The contract every store keeps (round trips, listing, deleting, refused keys) runs
/// on this store too, in tests/Mining.Silo.Tests/Storage/LocalFolderArtifactStoreContractTests.
/// </summary>
public sealed class LocalFolderArtifactStoreTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Put_replaces_a_blob_and_leaves_no_temporary_file()
    {
        var root = TestData.NewTempFolder();
        var store = new LocalFolderArtifactStore(root);

        await store.PutAsync("k/x.bin", new byte[] { 1 }, Ct);
        await store.PutAsync("k/x.bin", new byte[] { 2, 2 }, Ct);

        Assert.Equal([2, 2], await store.GetAsync("k/x.bin", Ct));
        Assert.Equal(["x.bin"], Directory.GetFiles(Path.Combine(root, "k")).Select(Path.GetFileName));
    }
}
