namespace Mining.Silo.Tests.Storage;

/// <summary>A grain's [PersistentState] kept by the cluster's default grain storage, which is Azure blob storage over Azurite.</summary>
[Collection(AzuriteStorageCollection.Name)]
public sealed class GrainPersistenceTests(StorageClusterFixture fixture)
{
    [Fact]
    public async Task A_grain_reads_its_state_back_from_blob_storage_after_deactivation()
    {
        var key = "alpha-" + Guid.NewGuid().ToString("N");
        var counter = fixture.Cluster.Client.GetGrain<ICounterGrain>(key);
        await counter.Increment("one");
        await counter.Increment("two");
        var first = await counter.Read();

        await fixture.Cluster.DeactivateAsync(counter);
        var second = await counter.Read();

        Assert.NotEqual(first.Activation, second.Activation);
        Assert.Equal(2, second.Count);
        Assert.Equal(["one", "two"], second.Notes);
        Assert.True(second.RecordExists);
        Assert.Equal(first.ETag, second.ETag);
        var blob = fixture.Container.GetBlobClient($"counter-counter/{key}.json");
        Assert.Equal(first.ETag, (await blob.GetPropertiesAsync(cancellationToken: TestContext.Current.CancellationToken)).Value.ETag.ToString());
    }

    [Fact]
    public async Task A_new_grain_starts_from_a_new_state_without_a_blob()
    {
        var key = "fresh-" + Guid.NewGuid().ToString("N");

        var reading = await fixture.Cluster.Client.GetGrain<ICounterGrain>(key).Read();

        Assert.Equal(0, reading.Count);
        Assert.False(reading.RecordExists);
        Assert.Null(reading.ETag);
        Assert.False((await fixture.Container.GetBlobClient($"counter-counter/{key}.json").ExistsAsync(TestContext.Current.CancellationToken)).Value);
    }
}
