namespace Mining.Kernels.Datasets;

/// <summary>One manifest row as written: the image id, the path as given (maybe relative), and the 1-based line it starts on.</summary>
internal sealed record ManifestEntry(string ImageId, string Path, int Line);
