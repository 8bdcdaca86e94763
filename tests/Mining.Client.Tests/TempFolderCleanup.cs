[assembly: AssemblyFixture(typeof(Mining.Client.Tests.TempFolderCleanup))]

namespace Mining.Client.Tests;

/// <summary>Deletes the checkpoints, heatmaps and demo folders the CLI wrote during the test run (a few MB per run).</summary>
public sealed class TempFolderCleanup : IDisposable
{
    public void Dispose()
    {
        if (Directory.Exists(TestData.TempRoot))
        {
            Directory.Delete(TestData.TempRoot, recursive: true);
        }
    }
}
