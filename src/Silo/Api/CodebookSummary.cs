namespace Mining.Silo.Api;

/// <summary>A row of <c>GET /codebooks</c>.</summary>
/// <param name="Name">The codebook's name.</param>
/// <param name="Versions">How many versions it has.</param>
/// <param name="LatestVersion">Its newest version (null before the first build).</param>
/// <param name="Prototypes">Prototypes in the newest version.</param>
/// <param name="Model">The model id of its prototypes.</param>
/// <param name="UpdatedUtc">When the newest version was built.</param>
/// <param name="Url">The codebook's versions.</param>
public sealed record CodebookSummary(string Name, int Versions, int? LatestVersion, int Prototypes, string? Model, DateTime? UpdatedUtc, string Url);
