namespace Mining.Kernels.Datasets;

/// <summary>Lists the image files directly inside a folder as dataset images.</summary>
internal static class ImageFolder
{
    /// <summary>The extensions taken as images, compared case-insensitively.</summary>
    internal static readonly IReadOnlySet<string> ImageExtensions =
        new HashSet<string>([".png", ".jpg", ".jpeg", ".bmp", ".gif", ".webp"], StringComparer.OrdinalIgnoreCase);

    /// <summary>The images in <paramref name="folder"/> (an absolute path), sorted by id ordinal.</summary>
    public static IReadOnlyList<DatasetImage> List(string folder)
    {
        List<string> files;
        try
        {
            // Names starting with '.' are skipped: they are hidden files such as the "._photo.jpg"
            // resource forks macOS leaves next to every image, which are not images.
            files = Directory.EnumerateFiles(folder, "*", SearchOption.TopDirectoryOnly)
                .Where(file => ImageExtensions.Contains(Path.GetExtension(file)) && !Path.GetFileName(file).StartsWith('.'))
                .ToList();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DatasetException(folder, null, $"cannot list the folder: {e.Message}", e);
        }

        if (files.Count == 0)
        {
            throw new DatasetException(folder, null, $"the folder holds no images (looked for {string.Join(" ", ImageExtensions.Order(StringComparer.Ordinal))} files, not in subfolders)");
        }

        // Ids are file stems ("cat.jpg" -> "cat") unless two files share a stem ("cat.jpg", "cat.png"):
        // then every id is the file name with its extension, so ids stay unique and all follow one scheme.
        var stemsUnique = files.Select(Path.GetFileNameWithoutExtension).Distinct(StringComparer.Ordinal).Count() == files.Count;
        return files
            .Select(file => new DatasetImage(stemsUnique ? Path.GetFileNameWithoutExtension(file) : Path.GetFileName(file), file))
            .OrderBy(image => image.ImageId, StringComparer.Ordinal)
            .ToList();
    }
}
