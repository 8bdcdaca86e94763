namespace Mining.Grains.Contracts;

/// <summary>What a user asks the cluster to mine. Paths are resolved on the silos.</summary>
/// <param name="JobId">Caller-chosen id; submitting the same id again never runs the job twice.</param>
/// <param name="Images">A folder of images or a CSV/JSONL manifest.</param>
/// <param name="Model">Checkpoint directory (Hugging Face LLaVA layout).</param>
/// <param name="CodebookName">Codebook the job's prototypes go into (a new version per job).</param>
/// <param name="ParametersJson">Mining parameters as JSON (<c>MiningParameters.ToJson</c>).</param>
/// <param name="AllTokens">Evaluate every visual token instead of the reference's candidate ranks.</param>
/// <param name="ImageAspect"><c>crop</c> or <c>pad</c>.</param>
/// <param name="ImagesPerShard">Images per shard grain.</param>
/// <param name="ModelId">Model id recorded in the codebook (default: the model directory's name).</param>
[GenerateSerializer]
[Alias("Mining.JobSpec")]
public sealed record JobSpec(
    [property: Id(0)] string JobId,
    [property: Id(1)] string Images,
    [property: Id(2)] string Model,
    [property: Id(3)] string CodebookName,
    [property: Id(4)] string ParametersJson,
    [property: Id(5)] bool AllTokens,
    [property: Id(6)] string ImageAspect,
    [property: Id(7)] int ImagesPerShard,
    [property: Id(8)] string? ModelId);
