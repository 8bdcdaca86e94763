namespace Mining.Kernels.Datasets;

/// <summary>A dataset folder or manifest that is missing, unreadable or malformed; the message names the file and, where there is one, the line.</summary>
public sealed class DatasetException : Exception
{
    /// <summary>Creates the exception for <paramref name="datasetPath"/>; <paramref name="line"/> is 1-based, or null when the problem is not on one line.</summary>
    public DatasetException(string datasetPath, int? line, string problem, Exception? innerException = null)
        : base(line is null ? $"{datasetPath}: {problem}" : $"{datasetPath}, line {line}: {problem}", innerException)
    {
        DatasetPath = datasetPath;
        Line = line;
    }

    /// <summary>The folder or manifest file at fault.</summary>
    public string DatasetPath { get; }

    /// <summary>The 1-based manifest line at fault, or null when the problem is not on one line.</summary>
    public int? Line { get; }
}
