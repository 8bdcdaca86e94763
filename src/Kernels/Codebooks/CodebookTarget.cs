using Mining.Kernels.Checkpoints;
using Mining.Kernels.Model;
using Mining.Probe.Codebooks;

namespace Mining.Kernels.Codebooks;

/// <summary>
/// The model a codebook must fit, as a checkpoint folder's config.json says: its family (<c>model_type</c>) and the
/// width of its visual tokens (the language model's hidden size, which the projector maps into).
/// </summary>
/// <param name="Folder">The checkpoint folder, as the caller named it (messages quote it).</param>
/// <param name="Family">The family of its <c>model_type</c>.</param>
/// <param name="HiddenSize">Its <c>text_config.hidden_size</c>.</param>
public sealed record CodebookTarget(string Folder, ModelFamily Family, int HiddenSize)
{
    /// <summary>Reads the config.json of <paramref name="checkpointFolder"/>; only that file is needed.</summary>
    /// <exception cref="CheckpointException">config.json is missing, malformed or of a model Mining does not run; the message names it.</exception>
    public static CodebookTarget Of(string checkpointFolder)
    {
        ArgumentException.ThrowIfNullOrEmpty(checkpointFolder);
        var config = LlavaConfig.Load(Path.Combine(checkpointFolder, "config.json"));
        return new CodebookTarget(checkpointFolder, ModelFamily.Of(config), config.Text.HiddenSize);
    }

    /// <summary>What a codebook must record to be used with this checkpoint: this family (when it records one) and this width.</summary>
    public CodebookRequirement Requirement => new(HiddenSize: HiddenSize, Family: Family.Name) { Caller = Folder };
}
