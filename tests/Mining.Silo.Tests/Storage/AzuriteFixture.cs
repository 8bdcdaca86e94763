namespace Mining.Silo.Tests.Storage;

/// <summary>A fresh Azurite (own process, port and empty data folder) for a test class or collection; killed on dispose.</summary>
public sealed class AzuriteFixture : IAsyncLifetime
{
    private AzuriteProcess? azurite;

    /// <summary>The running emulator.</summary>
    public AzuriteProcess Process => azurite ?? throw new InvalidOperationException("The Azurite fixture is not initialized.");

    /// <summary>Connection string for the development account on this emulator.</summary>
    public string ConnectionString => Process.ConnectionString;

    /// <inheritdoc />
    public async ValueTask InitializeAsync() => azurite = await AzuriteProcess.StartAsync(NewDataFolder());

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (azurite is null)
        {
            return;
        }

        await azurite.DisposeAsync();
        Directory.Delete(azurite.DataFolder, recursive: true);
        azurite = null;
    }

    /// <summary>A new empty folder under the tests' scratch folder (test.sh clears it before a run).</summary>
    public static string NewDataFolder()
    {
        var folder = Path.Combine(Path.GetTempPath(), "mining-tests", "azurite-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        return folder;
    }
}
