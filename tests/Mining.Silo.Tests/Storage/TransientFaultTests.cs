using Mining.Silo.Storage;

namespace Mining.Silo.Tests.Storage;

/// <summary>What <see cref="AzureBlobGrainStorage"/> does while its storage service is down and after it is back.</summary>
[Collection(AzuriteStorageCollection.Name)]
public sealed class TransientFaultTests(StorageClusterFixture fixture)
{
    private const int MaxRetries = 2;

    [Fact]
    public async Task Calls_fail_with_a_clear_error_after_bounded_retries_while_azurite_is_down_and_work_after_its_restart()
    {
        var dataFolder = AzuriteFixture.NewDataFolder();
        await using var azurite = await AzuriteProcess.StartAsync(dataFolder);
        try
        {
            var storage = fixture.NewStorage(azurite.ConnectionString, options =>
            {
                options.MaxRetries = MaxRetries;
                options.RetryDelay = TimeSpan.FromMilliseconds(50);
                options.MaxRetryDelay = TimeSpan.FromMilliseconds(200);
                options.NetworkTimeout = TimeSpan.FromSeconds(5);
            });
            await storage.InitializeAsync(TestContext.Current.CancellationToken);
            var grain = GrainId.Create("counter", "restart");
            var before = new GrainState<CounterState> { State = new CounterState { Count = 1, Notes = ["before"] } };
            await storage.WriteStateAsync("counter", grain, before);

            await azurite.StopAsync();
            var down = new GrainState<CounterState>();
            var error = await Assert.ThrowsAsync<OrleansException>(() => storage.ReadStateAsync("counter", grain, down));

            Assert.Contains($"no answer after {MaxRetries} retries", error.Message);
            Assert.Contains($"127.0.0.1:{azurite.Port}", error.Message);
            Assert.Contains("counter/counter/restart", error.Message);
            Assert.IsType<AggregateException>(error.InnerException);
            Assert.Equal(MaxRetries + 1, ((AggregateException)error.InnerException).InnerExceptions.Count);

            await azurite.StartAsync();
            var after = new GrainState<CounterState>();
            await storage.ReadStateAsync("counter", grain, after);
            Assert.Equal(before.ETag, after.ETag);
            Assert.Equal(["before"], after.State!.Notes);
            after.State.Count++;
            await storage.WriteStateAsync("counter", grain, after);
        }
        finally
        {
            await azurite.DisposeAsync();
            Directory.Delete(dataFolder, recursive: true);
        }
    }
}
