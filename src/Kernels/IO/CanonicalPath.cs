namespace Mining.Kernels.IO;

/// <summary>
/// The path a file-system path really names: every symbolic link along it followed (as POSIX <c>realpath</c>,
/// where <c>..</c> inside a link's target climbs from the target, not from the link). Components that do not
/// exist are kept as written, so a missing file still resolves to where it would be.
/// </summary>
public static class CanonicalPath
{
    // As Linux's MAXSYMLINKS: more links than this on one path is a loop.
    private const int MaxLinks = 40;

    /// <summary>The canonical form of the absolute path <paramref name="path"/>.</summary>
    /// <exception cref="IOException">The path holds a loop of symbolic links.</exception>
    public static string Of(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!Path.IsPathFullyQualified(path))
        {
            throw new ArgumentException($"'{path}' is not an absolute path", nameof(path));
        }

        var pending = new LinkedList<string>(Split(path));
        var current = Path.GetPathRoot(path)!;
        var links = 0;
        var exists = true;
        while (pending.First is { } first)
        {
            var part = first.Value;
            pending.RemoveFirst();
            if (part is "" or ".")
            {
                continue;
            }

            if (part == "..")
            {
                current = Path.GetDirectoryName(current) ?? current;
                continue;
            }

            var next = Path.Join(current, part);
            var target = exists ? new FileInfo(next).LinkTarget : null;
            if (target is null)
            {
                exists = exists && (File.Exists(next) || Directory.Exists(next));
                current = next;
                continue;
            }

            if (++links > MaxLinks)
            {
                throw new IOException($"'{path}': too many levels of symbolic links");
            }

            // The target's components replace the link; an absolute target restarts from the root.
            if (Path.IsPathRooted(target))
            {
                current = Path.GetPathRoot(target)!;
            }

            foreach (var targetPart in Split(target).Reverse())
            {
                pending.AddFirst(targetPart);
            }
        }

        return current;
    }

    /// <summary>Whether <paramref name="path"/> is <paramref name="root"/> or lies below it (both canonical).</summary>
    public static bool IsInside(string path, string root)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(root);
        var trimmed = root.Length > 1 ? root.TrimEnd(Path.DirectorySeparatorChar) : root;
        return string.Equals(path, trimmed, StringComparison.Ordinal)
            || path.StartsWith(trimmed.EndsWith(Path.DirectorySeparatorChar) ? trimmed : trimmed + Path.DirectorySeparatorChar, StringComparison.Ordinal);
    }

    private static string[] Split(string path) => path.Split([Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar]);
}
