using Mining.Kernels.IO;

namespace Mining.Kernels.Datasets;

/// <summary>The images a mining run processes, read from a folder of images or from a CSV or JSON Lines manifest.</summary>
/// <param name="Source">The absolute path of the folder or manifest the images came from.</param>
/// <param name="Images">The images, each with a unique id and an absolute path.</param>
public sealed record ImageDataset(string Source, IReadOnlyList<DatasetImage> Images)
{
    /// <summary>Opens the dataset at <paramref name="path"/>: a folder of images, a <c>.csv</c> manifest or a <c>.jsonl</c> manifest.</summary>
    /// <remarks>
    /// <para>A folder yields every file directly inside it (not in subfolders, and not hidden files whose names
    /// start with '.') with extension .png .jpg .jpeg .bmp .gif or .webp in any case. The id is the file name
    /// without extension; if two files share that stem, every id in the dataset is the file name with extension
    /// instead, so ids are unique. Images are sorted by id, ordinal, so a run sees the same order on every
    /// machine. A folder with no images is an error.</para>
    /// <para>A <c>.csv</c> manifest has a header row with <c>image_id</c> and <c>path</c> columns (any order,
    /// other columns ignored, quoted fields may hold commas); a <c>.jsonl</c> manifest has one JSON object per
    /// line with string fields <c>image_id</c> and <c>path</c>. Blank lines are skipped; manifest order is kept.
    /// Relative paths resolve against the manifest's folder.</para>
    /// <para>Image files are not opened or checked here: a manifest entry whose file is missing is listed all
    /// the same and fails when the run decodes it, so one bad entry costs one image, not the job.</para>
    /// <para>The folder or manifest is opened as <paramref name="roots"/> allow (anywhere when null): it must lie
    /// inside them, and a manifest must be a regular file (a named pipe would block the reader). When the roots restrict,
    /// every image listed must lie inside them too (links followed; a missing image still passes and fails when read).</para>
    /// </remarks>
    /// <exception cref="DatasetException">The path is missing, unreadable, outside the roots or not a regular file; the
    /// manifest is empty, lacks a column, has a row with a missing or empty image_id or path, has an invalid JSON line,
    /// or repeats an image_id.</exception>
    public static ImageDataset Open(string path, AllowedRoots? roots = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        roots ??= AllowedRoots.Anywhere;
        string source;
        try
        {
            source = roots.IsRestricted ? roots.Resolve(path) : Path.GetFullPath(path);
        }
        catch (InputFileException e)
        {
            throw new DatasetException(path, null, e.Problem, e);
        }

        if (Directory.Exists(source))
        {
            return Checked(new ImageDataset(source, ImageFolder.List(source)), path, roots);
        }

        if (!File.Exists(source))
        {
            throw new DatasetException(source, null, "no such file or folder: expected a folder of images, a .csv manifest or a .jsonl manifest");
        }

        var extension = Path.GetExtension(source).ToLowerInvariant();
        if (extension is not (".csv" or ".jsonl"))
        {
            throw new DatasetException(source, null, $"unsupported dataset file type '{extension}': expected a folder of images, a .csv manifest or a .jsonl manifest");
        }

        IReadOnlyList<ManifestEntry> entries;
        try
        {
            using var reader = new StreamReader(roots.OpenRead(source), detectEncodingFromByteOrderMarks: true);
            entries = extension == ".csv" ? CsvManifest.Read(source, reader) : JsonlManifest.Read(source, reader);
        }
        catch (InputFileException e)
        {
            throw new DatasetException(path, null, e.Problem, e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DatasetException(source, null, $"cannot read the manifest: {e.Message}", e);
        }

        return Checked(new ImageDataset(source, Resolve(source, entries)), path, roots);
    }

    /// <summary>The dataset when every image lies inside <paramref name="roots"/>; a folder is resolved once for all its images.</summary>
    private static ImageDataset Checked(ImageDataset dataset, string path, AllowedRoots roots)
    {
        if (!roots.IsRestricted)
        {
            return dataset;
        }

        var folders = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var image in dataset.Images)
        {
            var folder = Path.GetDirectoryName(image.Path)!;
            if (!folders.TryGetValue(folder, out var canonicalFolder))
            {
                canonicalFolder = Inside(roots, folder);
                folders.Add(folder, canonicalFolder);
            }

            // Inside a canonical folder only the file itself can still be a link.
            var file = canonicalFolder is null ? null : Path.Join(canonicalFolder, Path.GetFileName(image.Path));
            if (file is null || (new FileInfo(file).LinkTarget is not null && Inside(roots, file) is null))
            {
                throw new DatasetException(path, null, $"image '{image.ImageId}' ('{image.Path}') is outside the allowed roots");
            }
        }

        return dataset;
    }

    private static string? Inside(AllowedRoots roots, string path)
    {
        try
        {
            return roots.Check(path);
        }
        catch (InputFileException)
        {
            return null;
        }
    }

    private static List<DatasetImage> Resolve(string manifest, IReadOnlyList<ManifestEntry> entries)
    {
        var folder = Path.GetDirectoryName(manifest)!;
        var firstLine = new Dictionary<string, int>(StringComparer.Ordinal);
        var images = new List<DatasetImage>(entries.Count);
        foreach (var entry in entries)
        {
            if (!firstLine.TryAdd(entry.ImageId, entry.Line))
            {
                throw new DatasetException(manifest, entry.Line, $"duplicate image_id '{entry.ImageId}' (first on line {firstLine[entry.ImageId]})");
            }

            string fullPath;
            try
            {
                fullPath = Path.GetFullPath(entry.Path, folder);
            }
            catch (ArgumentException e)
            {
                throw new DatasetException(manifest, entry.Line, $"invalid path '{entry.Path}': {e.Message}", e);
            }

            images.Add(new DatasetImage(entry.ImageId, fullPath));
        }

        return images;
    }
}
