namespace Mining.Silo.Api;

/// <summary>Where to go from a job.</summary>
/// <param name="Self">The job's status.</param>
/// <param name="Cancel">POST here to cancel it.</param>
/// <param name="Codebook">The codebook it adds a version to.</param>
/// <param name="Download">The codebook version it built (once completed).</param>
public sealed record JobLinks(string Self, string Cancel, string Codebook, string? Download);
