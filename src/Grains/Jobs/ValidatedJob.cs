using Mining.Grains.Contracts;

namespace Mining.Grains.Jobs;

/// <summary>A job spec that passed <see cref="JobSpecValidator"/>: its shard assignments and what the codebook records.</summary>
/// <param name="Assignments">The images in dataset order, cut into shards of <see cref="JobSpec.ImagesPerShard"/>.</param>
/// <param name="Images">Images in the dataset.</param>
/// <param name="ModelId">Model id (the spec's, or the model directory's name).</param>
/// <param name="HiddenSize">The model's hidden size D (config.json text_config.hidden_size).</param>
/// <param name="ParametersJson">The resolved parameters (<c>MiningParameters.ToJson</c>: the preset's name and every value), as the shards and the codebook get them.</param>
/// <param name="Family">The model's family ("llava", "onevision", "next"), which the codebook records.</param>
public sealed record ValidatedJob(IReadOnlyList<ShardAssignment> Assignments, int Images, string ModelId, int HiddenSize, string ParametersJson, string Family);
