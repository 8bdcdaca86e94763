namespace Mining.Silo.Api;

/// <summary>URLs of codebooks and their versions.</summary>
public static class CodebookPaths
{
    /// <summary>The codebooks collection.</summary>
    public const string Codebooks = "/codebooks";

    /// <summary>A codebook's versions.</summary>
    public static string Codebook(string name) => $"{Codebooks}/{Uri.EscapeDataString(name)}";

    /// <summary>A version's Parquet file.</summary>
    public static string Version(string name, int version) => $"{Codebook(name)}/versions/{version}";
}
