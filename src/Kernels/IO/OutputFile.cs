using Mining.Probe.IO;

namespace Mining.Kernels.IO;

/// <summary>
/// The one rule for the files and folders a verb writes, checked before any work is spent on their content: the
/// parent folder must exist (it is never created), a folder is not a file, an existing file is replaced only when
/// the user says so (<c>--force</c>), an input is never its own output, and the bytes land atomically.
/// </summary>
public static class OutputFile
{
    /// <summary>
    /// Throws <see cref="DirectoryNotFoundException"/> when <paramref name="path"/>'s folder is missing, and
    /// <see cref="ArgumentException"/> naming <paramref name="what"/> when <paramref name="path"/> is a folder.
    /// An existing file is allowed (for library callers that own their paths).
    /// </summary>
    public static void RequireWritable(string path, string what) => RequireWritable(path, what, force: true);

    /// <summary>
    /// As <see cref="RequireWritable(string, string)"/>, and also throws <see cref="IOException"/> when a file is
    /// already at <paramref name="path"/> and <paramref name="force"/> is false. <paramref name="what"/> names the
    /// option ("--out") or the output ("codebook") in the messages.
    /// </summary>
    public static void RequireWritable(string path, string what, bool force)
    {
        var fullPath = Path.GetFullPath(path);
        var folder = Path.GetDirectoryName(fullPath)!;
        if (!Directory.Exists(folder))
        {
            throw new DirectoryNotFoundException($"{what}: output folder '{folder}' (for {path}) does not exist");
        }

        if (Directory.Exists(fullPath))
        {
            throw new ArgumentException($"{what}: '{fullPath}' is a folder; expected the path of a file to write");
        }

        if (File.Exists(fullPath) && !force)
        {
            throw new IOException($"{what}: '{fullPath}' exists; pass --force to replace it");
        }
    }

    /// <summary>
    /// For a verb that writes a whole folder (a checkpoint): its parent must exist, <paramref name="path"/> must not
    /// be a file, and an existing non-empty folder is replaced only with <paramref name="force"/>.
    /// </summary>
    public static void RequireWritableFolder(string path, string what, bool force)
    {
        var fullPath = Path.GetFullPath(path);
        var parent = Path.GetDirectoryName(fullPath)!;
        if (!Directory.Exists(parent))
        {
            throw new DirectoryNotFoundException($"{what}: output folder '{parent}' (for {path}) does not exist");
        }

        if (File.Exists(fullPath))
        {
            throw new ArgumentException($"{what}: '{fullPath}' is a file; expected a folder to write into");
        }

        if (Directory.Exists(fullPath) && Directory.EnumerateFileSystemEntries(fullPath).Any() && !force)
        {
            throw new IOException($"{what}: '{fullPath}' is not empty; pass --force to replace it");
        }
    }

    /// <summary>Throws when two outputs would land on one file.</summary>
    public static void RequireDistinct(string first, string second, string what)
    {
        if (SamePath(first, second))
        {
            throw new ArgumentException($"{what} would both be written to '{Path.GetFullPath(first)}'; give them different paths");
        }
    }

    /// <summary>Throws when <paramref name="output"/> (given as <paramref name="what"/>) is the file <paramref name="input"/> is read from, even with --force.</summary>
    public static void RequireNotInput(string input, string output, string what)
    {
        if (SamePath(input, output))
        {
            throw new ArgumentException($"{what}: '{Path.GetFullPath(output)}' is also the input; write to another file");
        }
    }

    /// <summary>Writes <paramref name="path"/> through a temporary file moved into place when <paramref name="write"/> completes (see <see cref="AtomicFile"/>).</summary>
    public static void WriteAtomically(string path, Action<Stream> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        AtomicFile.WriteAsync(path, stream =>
        {
            write(stream);
            return Task.CompletedTask;
        }).GetAwaiter().GetResult();
    }

    /// <summary>
    /// Fills a fresh sibling folder with <paramref name="fill"/> and moves it to <paramref name="path"/> (replacing
    /// what is there) only when it completes; on failure the sibling is removed and <paramref name="path"/> is untouched.
    /// </summary>
    public static void WriteFolderAtomically(string path, Action<string> fill)
    {
        ArgumentNullException.ThrowIfNull(fill);
        var fullPath = Path.GetFullPath(path);
        var temporary = Path.Combine(Path.GetDirectoryName(fullPath)!, $".{Path.GetFileName(fullPath)}.{Guid.NewGuid():N}.tmp");
        try
        {
            fill(temporary);
            if (Directory.Exists(fullPath))
            {
                Directory.Delete(fullPath, recursive: true);
            }

            Directory.Move(temporary, fullPath);
        }
        finally
        {
            if (Directory.Exists(temporary))
            {
                Directory.Delete(temporary, recursive: true);
            }
        }
    }

    private static bool SamePath(string first, string second) =>
        string.Equals(Path.GetFullPath(first), Path.GetFullPath(second), StringComparison.Ordinal);
}
