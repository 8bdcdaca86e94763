using System.Text.Json;

namespace Mining.Silo.Api;

/// <summary>The body of <c>POST /jobs</c>: what to mine, with which model, into which codebook.</summary>
/// <param name="Id">Job id (1–128 letters, digits, '.', '_', '-'); the server makes one when absent. Sending the same id and spec again does not run the job twice.</param>
/// <param name="Images">A folder of images or a CSV or JSONL manifest, by an absolute path inside the silos' allowed roots (blob URIs are refused).</param>
/// <param name="Model">A Hugging Face LLaVA checkpoint folder inside the silos' allowed roots.</param>
/// <param name="Codebook">Name of the codebook the job adds a version to.</param>
/// <param name="Parameters">Mining parameters as a JSON object with snake_case names (e.g. <c>{"top1_thres": 0.15}</c>); missing ones take the preset's values.</param>
/// <param name="AllTokens">Evaluate every visual token instead of the reference's candidate ranks (default false).</param>
/// <param name="ImageAspect"><c>crop</c> (default) or <c>pad</c>.</param>
/// <param name="ImagesPerShard">Images per shard grain (default <see cref="JobSpec.DefaultImagesPerShard"/>).</param>
/// <param name="ModelId">Model id recorded in the codebook (default: the model folder's name as given).</param>
/// <param name="Preset">The preset the parameters start from (<c>llava-1.5-7b</c>, …); default: the model family's.</param>
public sealed record JobRequest(
    string? Id,
    string? Images,
    string? Model,
    string? Codebook,
    JsonElement? Parameters,
    bool? AllTokens,
    string? ImageAspect,
    int? ImagesPerShard,
    string? ModelId,
    string? Preset = null);
