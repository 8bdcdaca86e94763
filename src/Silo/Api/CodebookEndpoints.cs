using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Mining.Grains.Codebooks;
using Mining.Grains.Contracts;

namespace Mining.Silo.Api;

/// <summary>The codebook endpoints: list, versions, and each version's Parquet file.</summary>
public static class CodebookEndpoints
{
    /// <summary>The media type of a codebook version.</summary>
    public const string ParquetMediaType = "application/vnd.apache.parquet";

    /// <summary>Maps <c>/codebooks</c> and below on <paramref name="endpoints"/>.</summary>
    public static RouteGroupBuilder MapCodebookEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var codebooks = endpoints.MapGroup(CodebookPaths.Codebooks).WithTags("Codebooks");
        codebooks.MapGet("", ListAsync).WithSummary("Lists the codebooks with their newest version");
        codebooks.MapGet("/{name}", GetAsync).WithSummary("A codebook's versions with prototype counts and parameters");
        codebooks.MapGet("/{name}/versions/{version:int}", DownloadAsync)
            .Produces(StatusCodes.Status200OK, contentType: ParquetMediaType)
            .WithSummary("A codebook version as Parquet v1, streamed from the artifact store in chunks (the bytes of the codebook grain's export)");
        return codebooks;
    }

    private static async Task<Ok<CodebookSummary[]>> ListAsync(IGrainFactory grains)
    {
        var names = await grains.GetGrain<IRegistryGrain>(0).ListCodebooks();
        var versions = await Task.WhenAll(names.Select(name => grains.GetGrain<ICodebookGrain>(name).GetVersions()));
        return TypedResults.Ok(names.Zip(versions, (name, all) => all.Count == 0
            ? new CodebookSummary(name, 0, null, 0, null, null, CodebookPaths.Codebook(name))
            : new CodebookSummary(name, all.Count, all[^1].Version, all[^1].Prototypes, all[^1].Model, all[^1].CreatedUtc, CodebookPaths.Codebook(name))).ToArray());
    }

    private static async Task<Results<Ok<CodebookView>, NotFound<ProblemDetails>>> GetAsync(string name, IGrainFactory grains)
    {
        var versions = await VersionsOf(name, grains);
        if (versions.Count == 0)
        {
            return NotFound($"name: no codebook '{name}'");
        }

        return TypedResults.Ok(new CodebookView(name, versions.Select(CodebookVersionView.From).ToArray()));
    }

    private static async Task<Results<PushStreamHttpResult, NotFound<ProblemDetails>>> DownloadAsync(
        string name,
        int version,
        IGrainFactory grains,
        HttpResponse response,
        CancellationToken cancellation)
    {
        var versions = await VersionsOf(name, grains);
        if (versions.Count == 0)
        {
            return NotFound($"name: no codebook '{name}'");
        }

        if (versions.All(v => v.Version != version))
        {
            return NotFound($"version: codebook '{name}' has versions {versions[0].Version} to {versions[^1].Version}, not {version}");
        }

        // The body streams from the artifact store chunk by chunk; its length goes first, so a download cut short is seen as one.
        var codebook = grains.GetGrain<ICodebookGrain>(name);
        var export = await codebook.OpenExport(version);
        response.ContentLength = export.Length;
        return TypedResults.Stream(body => codebook.CopyToAsync(export, body, cancellation), ParquetMediaType, $"{name}-v{version}.parquet");
    }

    /// <summary>The versions of <paramref name="name"/>; none for a name no codebook could have.</summary>
    private static async Task<IReadOnlyList<CodebookVersionInfo>> VersionsOf(string name, IGrainFactory grains) =>
        SafeName.IsValid(name) ? await grains.GetGrain<ICodebookGrain>(name).GetVersions() : [];

    private static NotFound<ProblemDetails> NotFound(string detail) =>
        TypedResults.NotFound(new ProblemDetails { Status = StatusCodes.Status404NotFound, Title = "No such codebook version", Detail = detail });
}
