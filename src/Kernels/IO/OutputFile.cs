namespace Mining.Kernels.IO;

/// <summary>Checks a file that is about to be written, before any work is spent on its content.</summary>
public static class OutputFile
{
    /// <summary>
    /// Throws <see cref="DirectoryNotFoundException"/> when <paramref name="path"/>'s folder is missing, and
    /// <see cref="ArgumentException"/> naming <paramref name="what"/> when <paramref name="path"/> is a folder.
    /// </summary>
    public static void RequireWritable(string path, string what)
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
}
