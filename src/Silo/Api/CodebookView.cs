namespace Mining.Silo.Api;

/// <summary>A codebook with all its versions, oldest first (<c>GET /codebooks/{name}</c>).</summary>
/// <param name="Name">The codebook's name.</param>
/// <param name="Versions">Its versions.</param>
public sealed record CodebookView(string Name, IReadOnlyList<CodebookVersionView> Versions);
