using Mining.Grains.Contracts;
using Mining.Kernels.Pipeline;

namespace Mining.Grains.Jobs;

/// <summary>What a mining job persists: its spec, where it is, the last status of each shard and the outcome — no image data.</summary>
[GenerateSerializer]
[Alias("Mining.MiningJobGrainState")]
public sealed record MiningJobGrainState
{
    /// <summary>The accepted spec; null until a valid <c>Submit</c>.</summary>
    [Id(0)]
    public JobSpec? Spec { get; set; }

    /// <summary>Where the job is.</summary>
    [Id(1)]
    public JobState State { get; set; }

    /// <summary>Images in the dataset.</summary>
    [Id(2)]
    public int Images { get; set; }

    /// <summary>The last status each shard reported, by shard index.</summary>
    [Id(3)]
    public List<ShardStatus> Shards { get; set; } = [];

    /// <summary>When the job was accepted.</summary>
    [Id(4)]
    public DateTime? StartedUtc { get; set; }

    /// <summary>When it completed or failed.</summary>
    [Id(5)]
    public DateTime? FinishedUtc { get; set; }

    /// <summary>The codebook version the job built.</summary>
    [Id(6)]
    public int? CodebookVersion { get; set; }

    /// <summary>Why the job failed.</summary>
    [Id(7)]
    public string? Error { get; set; }

    /// <summary>What the job found.</summary>
    [Id(8)]
    public MiningStatistics? Statistics { get; set; }

    /// <summary>Model id recorded in the codebook.</summary>
    [Id(9)]
    public string ModelId { get; set; } = "";

    /// <summary>The model's hidden size D.</summary>
    [Id(10)]
    public int HiddenSize { get; set; }

    /// <summary>
    /// The shards' assignments, by shard index, as validation cut the spec: a shard that needs starting again gets its
    /// assignment from here, without listing the dataset again. Empty in state stored before it was kept.
    /// </summary>
    [Id(11)]
    public List<ShardAssignment> Assignments { get; set; } = [];

    /// <summary>
    /// The parameters validation resolved (the preset's name and every value), which the codebook records. Empty in
    /// state stored before it was kept: the spec's parameters were complete then.
    /// </summary>
    [Id(12)]
    public string ParametersJson { get; set; } = "";

    /// <summary>The model's family, which the codebook records; null in state stored before it was kept.</summary>
    [Id(13)]
    public string? Family { get; set; }
}
