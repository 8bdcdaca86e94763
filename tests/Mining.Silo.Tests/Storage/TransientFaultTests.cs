namespace Mining.Silo.Tests.Storage;

/// <summary>What the silo's Azure blob grain storage does while its storage service is down and after it is back.</summary>
[Collection(AzuriteStorageCollection.Name)]
public sealed class TransientFaultTests
{
    private const int MaxRetries = 2;

    [Fact]
    public async Task Calls_fail_with_a_clear_error_after_bounded_retries_while_azurite_is_down_and_work_after_its_restart()
    {
        var dataFolder = AzuriteFixture.NewDataFolder();
        await using var azurite = await AzuriteProcess.StartAsync(dataFolder);
        try
        {
            await using var silo = await StorageClusterFixture.NewSiloAsync(azurite.ConnectionString, retries: retry =>
            {
                retry.MaxRetries = MaxRetries;
                retry.Delay = TimeSpan.FromMilliseconds(50);
                retry.MaxDelay = TimeSpan.FromMilliseconds(200);
                retry.NetworkTimeout = TimeSpan.FromSeconds(5);
            });
            var storage = silo.Storage;
            var grain = GrainId.Create("counter", "restart");
            var before = new GrainState<CounterState> { State = new CounterState { Count = 1, Notes = ["before"] } };
            await storage.WriteStateAsync("counter", grain, before);

            await azurite.StopAsync();
            var down = new GrainState<CounterState>();
            // The Azure SDK's own error once its retries are used up: one inner exception per try, each naming the endpoint.
            var error = await Assert.ThrowsAsync<AggregateException>(() => storage.ReadStateAsync("counter", grain, down));

            Assert.Contains($"Retry failed after {MaxRetries + 1} tries", error.Message);
            Assert.Equal(MaxRetries + 1, error.InnerExceptions.Count);
            Assert.All(error.InnerExceptions, e => Assert.Contains($"127.0.0.1:{azurite.Port}", e.ToString()));

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
