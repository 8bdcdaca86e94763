namespace Mining.Kernels.Datasets;

/// <summary>One image of a dataset: its unique id and the absolute path of its file (which may not exist; see <see cref="ImageDataset"/>).</summary>
public sealed record DatasetImage(string ImageId, string Path);
