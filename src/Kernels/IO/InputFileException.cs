namespace Mining.Kernels.IO;

/// <summary>
/// A job input (dataset, image or model file) that may not be read: outside the allowed roots, not a regular file,
/// missing, or changed while it was being opened. It names the path as it was given and never where a link leads or
/// which roots are allowed.
/// </summary>
public sealed class InputFileException(string path, string problem) : IOException($"'{path}' {problem}")
{
    /// <summary>The path as it was given.</summary>
    public string InputPath { get; } = path;

    /// <summary>What is wrong, without the path (e.g. "is outside the allowed roots").</summary>
    public string Problem { get; } = problem;
}
