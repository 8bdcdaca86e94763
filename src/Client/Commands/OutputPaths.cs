namespace Mining.Client.Commands;

/// <summary>Checks the files a verb will write before it starts any work, so a typo does not cost a whole job (with <see cref="Mining.Kernels.IO.OutputFile"/>).</summary>
internal static class OutputPaths
{
    /// <summary>Throws when two outputs would land on one file.</summary>
    public static void RequireDistinct(string first, string second, string what)
    {
        if (string.Equals(Path.GetFullPath(first), Path.GetFullPath(second), StringComparison.Ordinal))
        {
            throw new ArgumentException($"{what} would both be written to '{Path.GetFullPath(first)}'; give them different paths");
        }
    }
}
