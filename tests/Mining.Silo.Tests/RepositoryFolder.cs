namespace Mining.Silo.Tests;

/// <summary>The repository the tests were built from (the folder holding Mining.sln above the test output).</summary>
internal static class RepositoryFolder
{
    /// <summary>The repository's root folder.</summary>
    public static string Root { get; } = Find();

    private static string Find()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "Mining.sln")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException($"No Mining.sln above {AppContext.BaseDirectory}: the tests must run from the repository's build output.");
    }
}
