namespace Mining.Silo.Api;

/// <summary>URLs of jobs.</summary>
public static class JobPaths
{
    /// <summary>The jobs collection.</summary>
    public const string Jobs = "/jobs";

    /// <summary>A job's status.</summary>
    public static string Job(string id) => $"{Jobs}/{Uri.EscapeDataString(id)}";
}
