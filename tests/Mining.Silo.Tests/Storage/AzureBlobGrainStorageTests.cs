using Mining.Grains.Contracts;
using Orleans.Storage;

namespace Mining.Silo.Tests.Storage;

/// <summary>The IGrainStorage contract of the silo's Azure blob grain storage (Orleans' provider, added as the silo adds it) against a real Azurite.</summary>
[Collection(AzuriteStorageCollection.Name)]
public sealed class AzureBlobGrainStorageTests(StorageClusterFixture fixture)
{
    private const string StateName = "progress";

    private readonly IGrainStorage storage = fixture.Storage;

    // Every test works on its own grain, so the shared container never couples two tests.
    private readonly GrainId grain = GrainId.Create("shard", Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task Reading_a_state_never_written_gives_a_new_state_without_record_or_etag()
    {
        var state = new GrainState<ShardProgressState>();

        await storage.ReadStateAsync(StateName, grain, state);

        Assert.Equivalent(new ShardProgressState(), state.State, strict: true);
        Assert.False(state.RecordExists);
        Assert.Null(state.ETag);
    }

    [Fact]
    public async Task A_written_state_reads_back_equal_with_the_etag_of_the_write()
    {
        var written = new GrainState<ShardProgressState> { State = Progress() };
        await storage.WriteStateAsync(StateName, grain, written);

        var read = new GrainState<ShardProgressState>();
        await storage.ReadStateAsync(StateName, grain, read);

        Assert.Equivalent(Progress(), read.State, strict: true);
        Assert.True(read.RecordExists);
        Assert.NotNull(written.ETag);
        Assert.Equal(written.ETag, read.ETag);
        Assert.Equal(written.ETag, (await fixture.Container.GetBlobClient(BlobName()).GetPropertiesAsync(cancellationToken: TestContext.Current.CancellationToken)).Value.ETag.ToString());
    }

    [Fact]
    public async Task A_write_with_a_stale_etag_is_rejected_with_the_stored_and_expected_etags()
    {
        var first = new GrainState<ShardProgressState> { State = Progress() };
        await storage.WriteStateAsync(StateName, grain, first);
        var staleETag = first.ETag;
        first.State = first.State with { State = ShardState.Completed };
        await storage.WriteStateAsync(StateName, grain, first);

        var stale = new GrainState<ShardProgressState> { State = Progress() with { JobId = "late" }, ETag = staleETag };
        var error = await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync(StateName, grain, stale));

        Assert.Equal(staleETag, error.CurrentEtag);
        var stored = await Read();
        Assert.Equal(first.ETag, stored.ETag);
        Assert.Equal(ShardState.Completed, stored.State.State);
    }

    [Fact]
    public async Task A_first_write_is_rejected_when_the_record_already_exists()
    {
        await storage.WriteStateAsync(StateName, grain, new GrainState<ShardProgressState> { State = Progress() });

        var unaware = new GrainState<ShardProgressState> { State = Progress() with { JobId = "other" } };
        var error = await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync(StateName, grain, unaware));

        Assert.Null(error.CurrentEtag);
        var stored = await Read();
        Assert.NotNull(stored.ETag);
        Assert.Equal(Progress().JobId, stored.State.JobId);
    }

    [Fact]
    public async Task Clearing_deletes_the_record_so_a_read_gives_a_new_state()
    {
        var state = new GrainState<ShardProgressState> { State = Progress() };
        await storage.WriteStateAsync(StateName, grain, state);

        await storage.ClearStateAsync(StateName, grain, state);

        Assert.Null(state.ETag);
        Assert.False(state.RecordExists);
        Assert.False((await fixture.Container.GetBlobClient(BlobName()).ExistsAsync(TestContext.Current.CancellationToken)).Value);
        var read = await Read();
        Assert.Equivalent(new ShardProgressState(), read.State, strict: true);
        Assert.False(read.RecordExists);
        Assert.Null(read.ETag);
    }

    [Fact]
    public async Task A_write_after_a_clear_creates_the_record_again()
    {
        var state = new GrainState<ShardProgressState> { State = Progress() };
        await storage.WriteStateAsync(StateName, grain, state);
        await storage.ClearStateAsync(StateName, grain, state);

        state.State = Progress() with { JobId = "again" };
        await storage.WriteStateAsync(StateName, grain, state);

        var read = await Read();
        Assert.Equal("again", read.State.JobId);
        Assert.Equal(state.ETag, read.ETag);
    }

    [Fact]
    public async Task Clearing_with_a_stale_etag_is_rejected_and_keeps_the_record()
    {
        var state = new GrainState<ShardProgressState> { State = Progress() };
        await storage.WriteStateAsync(StateName, grain, state);
        var staleETag = state.ETag;
        await storage.WriteStateAsync(StateName, grain, state);

        var stale = new GrainState<ShardProgressState> { State = Progress(), ETag = staleETag };
        var error = await Assert.ThrowsAsync<InconsistentStateException>(() => storage.ClearStateAsync(StateName, grain, stale));

        Assert.Equal(staleETag, error.CurrentEtag);
        var stored = await Read();
        Assert.Equal(state.ETag, stored.ETag);
        Assert.True(stored.RecordExists);
    }

    [Fact]
    public async Task Clearing_without_an_etag_deletes_a_record_that_exists()
    {
        // Orleans' provider sends no condition with a delete when the grain holds no ETag (the hand-written provider
        // refused it). Mining's grains never clear their state; this pins the package's rule.
        var written = new GrainState<ShardProgressState> { State = Progress() };
        await storage.WriteStateAsync(StateName, grain, written);

        var unaware = new GrainState<ShardProgressState>();
        await storage.ClearStateAsync(StateName, grain, unaware);

        Assert.Null(unaware.ETag);
        Assert.False(unaware.RecordExists);
        Assert.False((await Read()).RecordExists);
        Assert.False((await fixture.Container.GetBlobClient(BlobName()).ExistsAsync(TestContext.Current.CancellationToken)).Value);
    }

    [Fact]
    public async Task Clearing_a_state_never_written_succeeds()
    {
        var state = new GrainState<ShardProgressState>();

        await storage.ClearStateAsync(StateName, grain, state);

        Assert.False(state.RecordExists);
        Assert.Null(state.ETag);
    }

    [Fact]
    public async Task A_five_megabyte_state_round_trips()
    {
        var payload = new byte[5 * 1024 * 1024];
        new Random(5).NextBytes(payload);
        var images = Enumerable.Range(0, 20_000)
            .Select(i => new ShardImage(i, $"image-{i:D6}", $"/data/coco/train2017/{i:D12}.jpg"))
            .ToList();
        var large = Progress() with { Images = images, Payload = payload };

        await storage.WriteStateAsync(StateName, grain, new GrainState<ShardProgressState> { State = large });
        var read = await Read();

        Assert.Equal(payload, read.State.Payload);
        Assert.Equal(images, read.State.Images);
        Assert.True((await fixture.Container.GetBlobClient(BlobName()).GetPropertiesAsync(cancellationToken: TestContext.Current.CancellationToken)).Value.ContentLength > payload.Length);
    }

    [Fact]
    public async Task Of_two_silos_writing_with_the_same_etag_exactly_one_wins()
    {
        // The silo's provider and a second one with its own client and connection, as another silo holds it (two
        // activations of one grain, e.g. while membership settles after a partition).
        await using var other = await StorageClusterFixture.NewSiloAsync(fixture.Azurite.ConnectionString);
        var otherSilo = other.Storage;
        var start = new GrainState<ShardProgressState> { State = Progress() };
        await storage.WriteStateAsync(StateName, grain, start);
        var writers = new (string JobId, IGrainStorage Storage)[] { ("first", storage), ("second", otherSilo) }
            .Select(w => (State: new GrainState<ShardProgressState> { State = Progress() with { JobId = w.JobId }, ETag = start.ETag }, w.Storage))
            .ToArray();

        var outcomes = await Task.WhenAll(writers.Select(async w =>
        {
            var writer = w.State;
            await Task.Yield();
            try
            {
                await w.Storage.WriteStateAsync(StateName, grain, writer);
                return (writer.State!.JobId, writer.ETag, Error: (Exception?)null);
            }
            catch (Exception e)
            {
                return (writer.State!.JobId, writer.ETag, Error: e);
            }
        }));

        var winner = Assert.Single(outcomes, outcome => outcome.Error is null);
        var loser = Assert.Single(outcomes, outcome => outcome.Error is not null).Error;
        Assert.IsType<InconsistentStateException>(loser);
        var read = await Read();
        Assert.Equal(winner.JobId, read.State.JobId);
        Assert.Equal(winner.ETag, read.ETag);
    }

    [Fact]
    public async Task States_of_other_names_and_grains_are_kept_apart()
    {
        var lookalike = GrainId.Create("shard", grain.Key + ".json");
        await storage.WriteStateAsync(StateName, grain, new GrainState<ShardProgressState> { State = Progress() with { JobId = "this" } });
        await storage.WriteStateAsync("other", grain, new GrainState<ShardProgressState> { State = Progress() with { JobId = "other name" } });
        await storage.WriteStateAsync(StateName, lookalike, new GrainState<ShardProgressState> { State = Progress() with { JobId = "other grain" } });

        Assert.Equal("this", (await Read()).State.JobId);
    }

    [Fact]
    public async Task The_blob_name_is_the_state_name_and_grain_id()
    {
        var odd = GrainId.Create("shard", "job 7/shard.3");
        await storage.WriteStateAsync(StateName, odd, new GrainState<ShardProgressState> { State = Progress() });

        Assert.True((await fixture.Container.GetBlobClient("progress-shard/job 7/shard.3.json").ExistsAsync(TestContext.Current.CancellationToken)).Value);
    }

    [Fact]
    public async Task A_missing_container_is_created_on_start()
    {
        var container = "fresh-" + Guid.NewGuid().ToString("N")[..12];
        await using var fresh = await StorageClusterFixture.NewSiloAsync(fixture.Azurite.ConnectionString, container);

        await fresh.Storage.WriteStateAsync(StateName, grain, new GrainState<ShardProgressState> { State = Progress() });

        var client = new Azure.Storage.Blobs.BlobServiceClient(fixture.Azurite.ConnectionString).GetBlobContainerClient(container);
        Assert.True((await client.GetBlobClient(BlobName()).ExistsAsync(TestContext.Current.CancellationToken)).Value);
    }

    private async Task<(ShardProgressState State, string? ETag, bool RecordExists)> Read()
    {
        var state = new GrainState<ShardProgressState>();
        await storage.ReadStateAsync(StateName, grain, state);
        return (state.State ?? throw new InvalidOperationException("ReadStateAsync left State null"), state.ETag, state.RecordExists);
    }

    private string BlobName() => $"{StateName}-{grain}.json";

    private static ShardProgressState Progress() => new()
    {
        JobId = "job-42",
        State = ShardState.Running,
        Images = [new ShardImage(0, "cat", "/data/cat.jpg"), new ShardImage(1, "dog", "/data/dog.png")],
        // The collection expressions give Failures compiler-generated IReadOnlyList types, as grain code does.
        Attempts =
        [
            new ShardStatus(3, ShardState.Cancelled, 2, 1, 1, [new ImageFailureInfo("dog", "decode failed: truncated PNG")], "silo-a", "one image failed", 1),
            new ShardStatus(3, ShardState.Running, 2, 0, 0, [], null, null, 2),
        ],
        Scores = new() { ["cat"] = [0.25, 0.5], ["dog"] = [] },
        Payload = [1, 2, 3],
    };
}
