using System.Text.RegularExpressions;
using Mining.Kernels.Checkpoints;
using Mining.Kernels.Datasets;

namespace Mining.Client.Commands;

/// <summary>
/// Checks the inputs a verb names before it loads a model or starts a silo, so a typo is reported at once and a
/// file given for a folder (or the reverse) is named as such.
/// </summary>
internal static partial class InputPaths
{
    /// <summary>A checkpoint folder: exists, is a folder, holds config.json. URLs are left to whoever reads them.</summary>
    public static void RequireCheckpoint(string path, string option)
    {
        if (IsUrl(path))
        {
            return;
        }

        var full = Path.GetFullPath(path);
        if (File.Exists(full))
        {
            throw new ArgumentException($"{option} '{path}' is a file; expected the checkpoint folder");
        }

        if (!Directory.Exists(full))
        {
            throw new DirectoryNotFoundException($"{option}: checkpoint folder '{full}' does not exist");
        }

        if (!File.Exists(Path.Combine(full, "config.json")))
        {
            throw new FileNotFoundException($"{option}: '{full}' has no config.json; expected a Hugging Face LLaVA checkpoint folder");
        }
    }

    /// <summary>An image file: exists and is not a folder.</summary>
    public static void RequireImageFile(string path, string option)
    {
        if (Directory.Exists(path))
        {
            throw new ArgumentException($"{option} '{path}' is a folder; expected an image file");
        }

        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"{option}: image '{Path.GetFullPath(path)}' does not exist");
        }
    }

    /// <summary>A folder of images or a manifest file: exists.</summary>
    public static void RequireImages(string path, string option)
    {
        if (!IsUrl(path) && !File.Exists(path) && !Directory.Exists(path))
        {
            throw new FileNotFoundException($"{option}: '{Path.GetFullPath(path)}' does not exist (expected a folder of images or a CSV/JSONL manifest)");
        }
    }

    /// <summary>The images a folder or manifest lists; a manifest that cannot be read raises an error naming <paramref name="option"/>.</summary>
    public static int CountImages(string path, string option)
    {
        try
        {
            return ImageDataset.Open(path).Images.Count;
        }
        catch (DatasetException e)
        {
            throw new ArgumentException($"{option}: {e.Message}", e);
        }
    }

    /// <summary>A job id or codebook name: the characters an artifact key allows.</summary>
    public static void RequireName(string? name, string option)
    {
        if (name is not null && (name.Length is 0 or > 128 || name.StartsWith('.') || !SafeName().IsMatch(name)))
        {
            throw new ArgumentException($"{option} '{name}' must be 1–128 letters, digits, '.', '_' or '-', not starting with '.'");
        }
    }

    /// <summary>
    /// The model id the codebook will record (<see cref="CheckpointModelId"/>'s rule), with a one-line warning on stderr
    /// when it falls back to the folder's name. A checkpoint this machine cannot read is left to the silos.
    /// </summary>
    public static void WarnOnFolderNameId(string model, string? given)
    {
        if (IsUrl(model) || !File.Exists(Path.Combine(model, "config.json")))
        {
            return;
        }

        var (id, fromFolder) = CheckpointModelId.Resolve(model, given);
        if (fromFolder)
        {
            Console.Error.WriteLine($"mining: warning: model id '{id}' is the checkpoint folder's name (config.json has no {CheckpointModelId.MiningField} or {CheckpointModelId.NameOrPathField}); --model-id sets it");
        }
    }

    private static bool IsUrl(string path) =>
        Uri.TryCreate(path, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https";

    [GeneratedRegex("^[A-Za-z0-9._-]+$")]
    private static partial Regex SafeName();
}
