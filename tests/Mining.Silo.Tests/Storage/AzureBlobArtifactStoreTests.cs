using Azure.Storage.Blobs;
using Mining.Grains.Artifacts;
using Mining.Silo.Storage;

namespace Mining.Silo.Tests.Storage;

/// <summary>The artifact store contract on <see cref="AzureBlobArtifactStore"/> against Azurite (one fresh container per test), plus what only the Azure store does.</summary>
public sealed class AzureBlobArtifactStoreTests(AzuriteFixture azurite) : ArtifactStoreContract, IClassFixture<AzuriteFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <inheritdoc />
    protected override IArtifactStore NewStore() => new AzureBlobArtifactStore(azurite.ConnectionString, NewContainerName());

    [Fact]
    public async Task A_key_is_the_blob_name_in_the_container()
    {
        var container = NewContainerName();
        var store = new AzureBlobArtifactStore(azurite.ConnectionString, container);

        await store.PutAsync("codebooks/demo/v1.parquet", new byte[] { 7, 8 }, Ct);

        var blob = new BlobServiceClient(azurite.ConnectionString).GetBlobContainerClient(container).GetBlobClient("codebooks/demo/v1.parquet");
        Assert.Equal([7, 8], (await blob.DownloadContentAsync(Ct)).Value.Content.ToArray());
    }

    [Fact]
    public async Task A_put_after_the_container_was_deleted_creates_it_again()
    {
        var container = NewContainerName();
        var store = new AzureBlobArtifactStore(azurite.ConnectionString, container);
        await store.PutAsync("a", new byte[] { 1 }, Ct);
        await new BlobServiceClient(azurite.ConnectionString).GetBlobContainerClient(container).DeleteAsync(cancellationToken: Ct);

        await store.PutAsync("b", new byte[] { 2 }, Ct);

        Assert.Equal(["b"], await store.ListAsync("", Ct));
    }

    [Fact]
    public async Task A_blob_of_several_mebibytes_reads_back_whole()
    {
        var store = NewStore();
        var content = new byte[9 * 1024 * 1024 + 17];
        new Random(5).NextBytes(content);

        await store.PutAsync("big/blob.bin", content, Ct);

        Assert.Equal(content, await store.GetAsync("big/blob.bin", Ct));
    }

    [Fact]
    public void An_invalid_container_name_is_refused_naming_it()
    {
        var error = Assert.Throws<ArgumentException>(() => new AzureBlobArtifactStore(azurite.ConnectionString, "Bad_Name"));
        Assert.Contains("'Bad_Name'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_stopped_service_is_retried_until_it_answers_again()
    {
        // Its own Azurite: stopping the class fixture's would disturb the other tests.
        await using var own = await AzuriteProcess.StartAsync(AzuriteFixture.NewDataFolder());
        var store = new AzureBlobArtifactStore(own.ConnectionString, NewContainerName());
        await store.PutAsync("before", new byte[] { 1 }, Ct);
        await own.StopAsync();

        var put = store.PutAsync("during", new byte[] { 2 }, Ct);
        await own.StartAsync();
        await put;

        Assert.Equal(["before", "during"], await store.ListAsync("", Ct));
    }

    private static string NewContainerName() => "artifacts-" + Guid.NewGuid().ToString("N")[..20];
}
