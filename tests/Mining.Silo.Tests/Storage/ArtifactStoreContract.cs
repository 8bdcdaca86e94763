using Mining.Grains.Artifacts;

namespace Mining.Silo.Tests.Storage;

/// <summary>What every <see cref="IArtifactStore"/> does, run against each store by a subclass that says how to make an empty one.</summary>
public abstract class ArtifactStoreContract
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A new, empty store.</summary>
    protected abstract IArtifactStore NewStore();

    [Fact]
    public async Task A_stored_blob_reads_back_and_exists()
    {
        var store = NewStore();

        await store.PutAsync("jobs/a/images/000001.parquet", new byte[] { 1, 2, 3 }, Ct);

        Assert.True(await store.ExistsAsync("jobs/a/images/000001.parquet", Ct));
        Assert.Equal([1, 2, 3], await store.GetAsync("jobs/a/images/000001.parquet", Ct));
    }

    [Fact]
    public async Task A_range_reads_those_bytes_and_stops_at_the_end_of_the_blob()
    {
        var store = NewStore();
        var content = Enumerable.Range(0, 1000).Select(i => (byte)(i * 7)).ToArray();
        await store.PutAsync("codebooks/a/v1.parquet", content, Ct);

        Assert.Equal(1000, await store.LengthAsync("codebooks/a/v1.parquet", Ct));
        Assert.Equal(content[..100], await store.GetRangeAsync("codebooks/a/v1.parquet", 0, 100, Ct));
        Assert.Equal(content[300..700], await store.GetRangeAsync("codebooks/a/v1.parquet", 300, 400, Ct));
        Assert.Equal(content[900..], await store.GetRangeAsync("codebooks/a/v1.parquet", 900, 400, Ct));
        Assert.Empty(await store.GetRangeAsync("codebooks/a/v1.parquet", 1000, 10, Ct));
    }

    [Fact]
    public async Task Ranges_read_one_after_another_make_up_the_blob()
    {
        var store = NewStore();
        var content = new byte[10_000];
        new Random(7).NextBytes(content);
        await store.PutAsync("big", content, Ct);

        var read = new List<byte>();
        for (var offset = 0; offset < content.Length; offset += 777)
        {
            read.AddRange(await store.GetRangeAsync("big", offset, 777, Ct));
        }

        Assert.Equal(content, read);
    }

    [Fact]
    public async Task A_range_past_the_end_is_refused_and_a_missing_blob_names_its_key()
    {
        var store = NewStore();
        await store.PutAsync("a/b", new byte[] { 1, 2, 3 }, Ct);

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => store.GetRangeAsync("a/b", 4, 1, Ct));
        var range = await Assert.ThrowsAsync<KeyNotFoundException>(() => store.GetRangeAsync("a/c", 0, 1, Ct));
        var length = await Assert.ThrowsAsync<KeyNotFoundException>(() => store.LengthAsync("a/c", Ct));
        Assert.Contains("'a/c'", range.Message, StringComparison.Ordinal);
        Assert.Contains("'a/c'", length.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Put_replaces_a_blob_and_leaves_only_that_key()
    {
        var store = NewStore();

        await store.PutAsync("k/x.bin", new byte[] { 1 }, Ct);
        await store.PutAsync("k/x.bin", new byte[] { 2, 2 }, Ct);

        Assert.Equal([2, 2], await store.GetAsync("k/x.bin", Ct));
        Assert.Equal(["k/x.bin"], await store.ListAsync("k/", Ct));
    }

    [Fact]
    public async Task An_empty_blob_is_stored_and_read_back_empty()
    {
        var store = NewStore();

        await store.PutAsync("empty", ReadOnlyMemory<byte>.Empty, Ct);

        Assert.True(await store.ExistsAsync("empty", Ct));
        Assert.Empty(await store.GetAsync("empty", Ct));
    }

    [Fact]
    public async Task List_returns_the_keys_under_a_prefix_sorted()
    {
        var store = NewStore();
        foreach (var key in new[] { "jobs/a/images/000002.parquet", "jobs/a/images/000000.parquet", "jobs/b/images/000001.parquet", "jobs/a/candidates/000000.npy" })
        {
            await store.PutAsync(key, new byte[] { 0 }, Ct);
        }

        Assert.Equal(["jobs/a/images/000000.parquet", "jobs/a/images/000002.parquet"], await store.ListAsync("jobs/a/images/", Ct));
        Assert.Equal(["jobs/a/candidates/000000.npy", "jobs/a/images/000000.parquet", "jobs/a/images/000002.parquet"], await store.ListAsync("jobs/a/", Ct));
        Assert.Empty(await store.ListAsync("jobs/c/", Ct));
    }

    [Fact]
    public async Task An_empty_store_lists_nothing_and_has_no_key()
    {
        var store = NewStore();

        Assert.Empty(await store.ListAsync("", Ct));
        Assert.False(await store.ExistsAsync("a/b", Ct));
    }

    [Fact]
    public async Task A_deleted_blob_no_longer_exists_and_get_names_the_missing_key()
    {
        var store = NewStore();
        await store.PutAsync("a/b", new byte[] { 1 }, Ct);

        await store.DeleteAsync("a/b", Ct);

        Assert.False(await store.ExistsAsync("a/b", Ct));
        var error = await Assert.ThrowsAsync<KeyNotFoundException>(() => store.GetAsync("a/b", Ct));
        Assert.Contains("'a/b'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deleting_a_missing_key_does_nothing()
    {
        var store = NewStore();

        await store.DeleteAsync("never/stored", Ct);

        Assert.False(await store.ExistsAsync("never/stored", Ct));
    }

    [Theory]
    [InlineData("../escape")]
    [InlineData("a//b")]
    [InlineData("a\\b")]
    [InlineData("/rooted")]
    public async Task A_key_that_could_leave_the_root_is_refused(string key)
    {
        var store = NewStore();

        await Assert.ThrowsAsync<ArgumentException>(() => store.PutAsync(key, new byte[] { 1 }, Ct));
    }
}
