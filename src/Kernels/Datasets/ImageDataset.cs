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
    /// </remarks>
    /// <exception cref="DatasetException">The path is missing or unreadable; the manifest is empty, lacks a
    /// column, has a row with a missing or empty image_id or path, has an invalid JSON line, or repeats an image_id.</exception>
    public static ImageDataset Open(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var source = Path.GetFullPath(path);
        if (Directory.Exists(source))
        {
            return new ImageDataset(source, ImageFolder.List(source));
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
            using var reader = new StreamReader(source, detectEncodingFromByteOrderMarks: true);
            entries = extension == ".csv" ? CsvManifest.Read(source, reader) : JsonlManifest.Read(source, reader);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DatasetException(source, null, $"cannot read the manifest: {e.Message}", e);
        }

        return new ImageDataset(source, Resolve(source, entries));
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
