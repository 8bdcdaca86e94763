namespace Mining.Client.Commands;

/// <summary>Where the CLI finds its bundled data and writes its default outputs.</summary>
internal static class MiningHome
{
    /// <summary>The repository root when run through <c>./mining</c> (it sets MINING_HOME), else the current directory.</summary>
    public static string Root => Environment.GetEnvironmentVariable("MINING_HOME") is { Length: > 0 } home ? home : Directory.GetCurrentDirectory();

    /// <summary>The sample images copied next to the CLI at build time.</summary>
    public static string SampleImages => Path.Combine(AppContext.BaseDirectory, "samples", "images");
}
