using Mining.Kernels.Imaging;

namespace Mining.Grains.Contracts;

/// <summary>What a user asks the cluster to mine. Paths are resolved on the silos.</summary>
/// <param name="JobId">Caller-chosen id; submitting the same id again never runs the job twice.</param>
/// <param name="Images">A folder of images or a CSV/JSONL manifest.</param>
/// <param name="Model">Checkpoint directory (Hugging Face LLaVA layout).</param>
/// <param name="CodebookName">Codebook the job's prototypes go into (a new version per job).</param>
/// <param name="ParametersJson">
/// The mining parameters given explicitly, as a JSON object of <c>MiningParameters.ToJson</c>'s names (any subset; <c>{}</c>:
/// none); every name it lacks takes the value of the <see cref="Preset"/>.
/// </param>
/// <param name="AllTokens">Evaluate every visual token instead of the reference's candidate ranks.</param>
/// <param name="ImageAspect">Crop (as the reference mined) or pad to a square.</param>
/// <param name="ImagesPerShard">Images per shard grain (<see cref="DefaultImagesPerShard"/> where the caller names none).</param>
/// <param name="ModelId">Model id recorded in the codebook (default: the model directory's name).</param>
[GenerateSerializer]
[Alias("Mining.JobSpec")]
// Id 6 held the image aspect as a string; it is retired, not reused: a spec stored with it reads as crop.
public sealed record JobSpec(
    [property: Id(0)] string JobId,
    [property: Id(1)] string Images,
    [property: Id(2)] string Model,
    [property: Id(3)] string CodebookName,
    [property: Id(4)] string ParametersJson,
    [property: Id(5)] bool AllTokens,
    [property: Id(9)] ImageAspect ImageAspect,
    [property: Id(7)] int ImagesPerShard,
    [property: Id(8)] string? ModelId)
{
    /// <summary>Images per shard when the CLI or the HTTP API is given none.</summary>
    public const int DefaultImagesPerShard = 4;

    /// <summary>The <c>MiningPreset</c> the parameters start from, by name; null: the default of the model's family.</summary>
    [Id(10)]
    public string? Preset { get; init; }
}
