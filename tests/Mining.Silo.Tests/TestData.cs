namespace Mining.Silo.Tests;

/// <summary>Paths to the data copied next to the test assembly.</summary>
internal static class TestData
{
    public static string Root => AppContext.BaseDirectory;

    public static string FixtureModel => Path.Combine(Root, "fixtures", "llava-tiny-ref", "model");

    public static string Samples => Path.Combine(Root, "samples");

    /// <summary>A fresh empty folder under the system temp folder.</summary>
    public static string NewTempFolder()
    {
        var path = Path.Combine(Path.GetTempPath(), "mining-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(path);
        return path;
    }
}
