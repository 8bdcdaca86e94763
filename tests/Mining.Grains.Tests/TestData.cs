namespace Mining.Grains.Tests;

/// <summary>Paths to the data copied next to the test assembly.</summary>
internal static class TestData
{
    public static string Root => AppContext.BaseDirectory;

    public static string Fixture => Path.Combine(Root, "fixtures", "llava-tiny-ref");

    public static string FixtureModel => Path.Combine(Fixture, "model");

    public static string Samples => Path.Combine(Root, "samples");

    /// <summary>A fresh empty folder under the system temp folder.</summary>
    public static string NewTempFolder()
    {
        var path = Path.Combine(Path.GetTempPath(), "mining-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(path);
        return path;
    }

    /// <summary>A new folder holding copies of the named sample images, plus a file named <paramref name="corrupt"/> that is not an image.</summary>
    public static string ImageFolder(IEnumerable<string> samples, string? corrupt = null)
    {
        var folder = NewTempFolder();
        foreach (var name in samples)
        {
            File.Copy(Path.Combine(Samples, name), Path.Combine(folder, name));
        }

        if (corrupt is not null)
        {
            File.WriteAllBytes(Path.Combine(folder, corrupt), [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 1, 2, 3, 4, 5]);
        }

        return folder;
    }
}
