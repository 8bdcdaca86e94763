using Mining.Kernels.Checkpoints;
using Mining.Kernels.Codebooks;

namespace Mining.Client.Commands;

/// <summary>
/// What <c>--model</c> names on <c>codebook import</c> and <c>probe</c>: a model id, or a checkpoint folder, whose
/// config.json gives the family and the visual-token width a codebook must match (and the id, by
/// <see cref="CheckpointModelId"/>'s rule).
/// </summary>
/// <param name="Id">The model id: the one given, or the checkpoint's.</param>
/// <param name="Checkpoint">The checkpoint's family and width; null when an id was given.</param>
/// <param name="IdFromFolderName">Whether <see cref="Id"/> fell back to the checkpoint folder's name.</param>
internal sealed record ModelReference(string Id, CodebookTarget? Checkpoint, bool IdFromFolderName = false)
{
    /// <summary>
    /// An existing folder is a checkpoint (it must hold a config.json Mining reads); anything else must read as a model
    /// id, so a mistyped path is reported as a missing folder rather than taken for an id.
    /// </summary>
    public static ModelReference Parse(string value, string option)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(value);
        if (Directory.Exists(value))
        {
            InputPaths.RequireCheckpoint(value, option);
            var target = CodebookTarget.Of(value);
            var (id, fromFolder) = CheckpointModelId.Resolve(value, null);
            return new ModelReference(id, target, fromFolder);
        }

        if (File.Exists(value))
        {
            throw new ArgumentException($"{option} '{value}' is a file; expected a model id or a checkpoint folder");
        }

        return CheckpointModelId.IsId(value)
            ? new ModelReference(value, null)
            : throw new DirectoryNotFoundException($"{option}: checkpoint folder '{Path.GetFullPath(value)}' does not exist");
    }
}
