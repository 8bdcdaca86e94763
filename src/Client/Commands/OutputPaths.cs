namespace Mining.Client.Commands;

/// <summary>Checks the files a verb will write before it starts any work, so a typo does not cost a whole job.</summary>
internal static class OutputPaths
{
    /// <summary>Throws when <paramref name="path"/>'s folder is missing or <paramref name="path"/> is a folder.</summary>
    public static void RequireWritableFile(string path, string what)
    {
        var fullPath = Path.GetFullPath(path);
        var folder = Path.GetDirectoryName(fullPath)!;
        if (!Directory.Exists(folder))
        {
            throw new DirectoryNotFoundException($"output folder '{folder}' (for {path}) does not exist");
        }

        if (Directory.Exists(fullPath))
        {
            throw new ArgumentException($"{what} path '{fullPath}' is a folder; expected the path of a file to write");
        }
    }

    /// <summary>Throws when two outputs would land on one file.</summary>
    public static void RequireDistinct(string first, string second, string what)
    {
        if (string.Equals(Path.GetFullPath(first), Path.GetFullPath(second), StringComparison.Ordinal))
        {
            throw new ArgumentException($"{what} would both be written to '{Path.GetFullPath(first)}'; give them different paths");
        }
    }
}
