using Microsoft.Win32.SafeHandles;

namespace Mining.Kernels.IO;

/// <summary>
/// The folders job inputs may be read from, enforced where the file is opened: a path is resolved with every
/// symbolic link followed and must lie inside one of the roots, and only regular files are opened (a named pipe would
/// block the reader, a device would never end). <see cref="Anywhere"/> restricts nothing but still opens regular files
/// only: it is what a local run on the user's own files uses.
/// </summary>
/// <remarks>
/// <see cref="OpenRead"/> checks the file's identity (device and inode) before and after opening it, so a file swapped
/// for a link to somewhere else between the check and the open is refused rather than read. Errors name the path as
/// given and say "outside the allowed roots"; they never say where a link leads or list the roots.
/// </remarks>
public sealed class AllowedRoots
{
    private readonly string[]? roots;

    /// <summary>Takes the absolute folders inputs must lie in; they are canonicalized now.</summary>
    /// <exception cref="ArgumentException">A root is not an absolute path, or there are none.</exception>
    public AllowedRoots(IEnumerable<string> roots)
    {
        ArgumentNullException.ThrowIfNull(roots);
        var list = roots.ToArray();
        if (list.Length == 0)
        {
            throw new ArgumentException("at least one allowed root is needed", nameof(roots));
        }

        foreach (var root in list)
        {
            if (string.IsNullOrWhiteSpace(root) || !Path.IsPathFullyQualified(root))
            {
                throw new ArgumentException($"allowed root '{root}' is not an absolute path", nameof(roots));
            }
        }

        this.roots = list.Select(CanonicalPath.Of).ToArray();
    }

    private AllowedRoots()
    {
    }

    /// <summary>No restriction on where inputs lie; only regular files are opened.</summary>
    public static AllowedRoots Anywhere { get; } = new();

    /// <summary>Whether inputs must lie inside roots (false for <see cref="Anywhere"/>).</summary>
    public bool IsRestricted => roots is not null;

    /// <summary>The canonical path of the existing file or folder <paramref name="path"/> names, which must lie inside the roots.</summary>
    /// <exception cref="InputFileException">It is a URI, relative (when restricted), holds a <c>..</c> segment (when restricted), is outside the roots or does not exist.</exception>
    public string Resolve(string path)
    {
        var canonical = Check(path);
        if (FileNode.Of(canonical, followLinks: true) is null)
        {
            throw new InputFileException(path, "does not exist");
        }

        return canonical;
    }

    /// <summary>Opens the regular file <paramref name="path"/> names for reading, after checking it lies inside the roots.</summary>
    /// <exception cref="InputFileException">As <see cref="Resolve"/> (but for a missing file), or it is not a regular file, or it changed while being opened.</exception>
    /// <exception cref="FileNotFoundException">Nothing is there.</exception>
    /// <exception cref="IOException">Reading the file system failed.</exception>
    /// <exception cref="UnauthorizedAccessException">The silo may not read it.</exception>
    public FileStream OpenRead(string path) => new(OpenHandle(path), FileAccess.Read, bufferSize: 1 << 16);

    /// <summary>The handle <see cref="OpenRead"/> reads through, for readers that read at offsets or map the file.</summary>
    public SafeFileHandle OpenHandle(string path, FileOptions options = FileOptions.None)
    {
        var canonical = Check(path);

        // A canonical path has no links left, so look at the node itself: a link there now was put there since.
        var before = FileNode.Of(canonical, followLinks: !IsRestricted) ?? throw new FileNotFoundException($"'{path}' does not exist", path);
        if (before.Kind != FileNodeKind.Regular)
        {
            throw new InputFileException(path, before.Kind == FileNodeKind.Link ? ChangedWhileOpening : "is not a regular file");
        }

        var handle = File.OpenHandle(canonical, FileMode.Open, FileAccess.Read, FileShare.Read, options);
        var after = FileNode.Of(handle);
        if (after.Kind != FileNodeKind.Regular || !after.SameAs(before))
        {
            handle.Dispose();
            throw new InputFileException(path, ChangedWhileOpening);
        }

        return handle;
    }

    /// <summary>The whole content of the regular file <paramref name="path"/>, read as <see cref="OpenRead"/> opens it.</summary>
    public byte[] ReadAllBytes(string path)
    {
        using var stream = OpenRead(path);
        var length = stream.Length;
        if (length > Array.MaxLength)
        {
            throw new InputFileException(path, $"is too large to read whole ({length} bytes)");
        }

        var bytes = new byte[length];
        stream.ReadExactly(bytes);
        return bytes;
    }

    /// <summary>
    /// Checks a model folder: the folder and every entry directly inside it (the only files a checkpoint's loader
    /// opens; an index may not name a shard in a subfolder) lie inside the roots, and each entry is a regular file or
    /// a folder. Returns the folder's canonical path.
    /// </summary>
    /// <exception cref="InputFileException">The folder or an entry is outside the roots, or an entry is a pipe, socket or device.</exception>
    public string CheckFolder(string folder)
    {
        var canonical = Resolve(folder);
        if (FileNode.Of(canonical, followLinks: true)?.Kind != FileNodeKind.Directory)
        {
            throw new InputFileException(folder, "is not a folder (expected a Hugging Face LLaVA checkpoint folder)");
        }

        foreach (var entry in Directory.EnumerateFileSystemEntries(canonical))
        {
            var name = Path.GetFileName(entry);
            var resolved = Inside(entry) ?? throw new InputFileException(Path.Join(folder, name), "is outside the allowed roots");
            var kind = FileNode.Of(resolved, followLinks: true)?.Kind;
            if (kind is FileNodeKind.Other)
            {
                throw new InputFileException(Path.Join(folder, name), "is not a regular file");
            }
        }

        return canonical;
    }

    /// <summary>Where <paramref name="path"/> leads when that is inside the roots (the full path when unrestricted); null when outside.</summary>
    private string? Inside(string path)
    {
        if (roots is null)
        {
            return Path.GetFullPath(path);
        }

        var canonical = CanonicalPath.Of(path);
        return roots.Any(root => CanonicalPath.IsInside(canonical, root)) ? canonical : null;
    }

    /// <summary>
    /// The path to open for <paramref name="path"/>, which need not exist yet: checked and canonical when restricted
    /// (absolute, no <c>..</c> segment, inside the roots with links followed), full when not.
    /// </summary>
    /// <exception cref="InputFileException">It is a URI, or (when restricted) relative, holds a <c>..</c> segment or is outside the roots.</exception>
    public string Check(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (path.Length == 0 || path.Contains('\0', StringComparison.Ordinal))
        {
            throw new InputFileException(path.Replace("\0", "\\0", StringComparison.Ordinal), "must not be empty or contain a NUL character");
        }

        if (path.Contains("://", StringComparison.Ordinal) || path.StartsWith("file:", StringComparison.OrdinalIgnoreCase))
        {
            throw new InputFileException(path, "is a URI; datasets, images and models are read from local paths only (blob URIs are not read)");
        }

        if (roots is null)
        {
            return Path.GetFullPath(path);
        }

        if (!Path.IsPathFullyQualified(path))
        {
            throw new InputFileException(path, "must be an absolute path");
        }

        if (path.Split([Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar]).Contains(".."))
        {
            throw new InputFileException(path, "must not contain '..' segments");
        }

        return Inside(path) ?? throw new InputFileException(path, "is outside the allowed roots");
    }

    private const string ChangedWhileOpening = "changed while it was being opened";
}
