namespace Mining.Silo.Tests.Api;

/// <summary>The fixture model and sample images copied next to the test assembly, and scratch folders.</summary>
internal static class ApiTestData
{
    public static string FixtureModel => Path.Combine(AppContext.BaseDirectory, "fixtures", "llava-tiny-ref", "model");

    public static string Samples => Path.Combine(AppContext.BaseDirectory, "samples");

    /// <summary>A fresh empty folder under the tests' scratch folder (test.sh clears it before a run).</summary>
    public static string NewTempFolder()
    {
        var path = Path.Combine(Path.GetTempPath(), "mining-tests", "api-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(path);
        return path;
    }

    /// <summary>Creates <paramref name="folder"/> with copies of the named samples, plus a non-image file named <paramref name="corrupt"/>.</summary>
    public static string ImageFolder(string folder, IEnumerable<string> samples, string? corrupt = null)
    {
        Directory.CreateDirectory(folder);
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

    /// <summary>Makes a named pipe at <paramref name="path"/> (reading it would wait for a writer).</summary>
    public static void MakeFifo(string path)
    {
        using var mkfifo = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("mkfifo", [path]) { UseShellExecute = false })
            ?? throw new InvalidOperationException("could not start mkfifo");
        mkfifo.WaitForExit();
        Assert.Equal(0, mkfifo.ExitCode);
    }

    /// <summary>Copies the fixture model's files to <paramref name="folder"/>.</summary>
    public static string ModelCopy(string folder)
    {
        Directory.CreateDirectory(folder);
        foreach (var file in Directory.EnumerateFiles(FixtureModel))
        {
            File.Copy(file, Path.Combine(folder, Path.GetFileName(file)));
        }

        return folder;
    }
}
