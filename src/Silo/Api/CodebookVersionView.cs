using System.Text.Json;
using Mining.Grains.Contracts;
using Mining.Kernels.Pipeline;

namespace Mining.Silo.Api;

/// <summary>One version of a codebook, as <c>GET /codebooks/{name}</c> lists it.</summary>
/// <param name="Version">The version number (1, 2, …).</param>
/// <param name="Prototypes">Prototypes in this version.</param>
/// <param name="AddedPrototypes">Prototypes this version's job added.</param>
/// <param name="Model">The model id the prototypes come from.</param>
/// <param name="HiddenSize">Dimension of a prototype.</param>
/// <param name="Parameters">The mining parameters (snake_case JSON object).</param>
/// <param name="JobIds">The jobs whose prototypes it holds, oldest first.</param>
/// <param name="CreatedUtc">When the version was built.</param>
/// <param name="Statistics">What the version's job found.</param>
/// <param name="DownloadUrl">The version's Parquet file.</param>
public sealed record CodebookVersionView(
    int Version,
    int Prototypes,
    int AddedPrototypes,
    string Model,
    int HiddenSize,
    JsonElement Parameters,
    IReadOnlyList<string> JobIds,
    DateTime CreatedUtc,
    MiningStatistics Statistics,
    string DownloadUrl)
{
    /// <summary>The view of <paramref name="info"/>.</summary>
    public static CodebookVersionView From(CodebookVersionInfo info)
    {
        ArgumentNullException.ThrowIfNull(info);
        using var parameters = JsonDocument.Parse(info.ParametersJson);
        return new CodebookVersionView(
            info.Version,
            info.Prototypes,
            info.AddedPrototypes,
            info.Model,
            info.HiddenSize,
            parameters.RootElement.Clone(),
            info.JobIds,
            info.CreatedUtc,
            info.Statistics,
            CodebookPaths.Version(info.Name, info.Version));
    }
}
