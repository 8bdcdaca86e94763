using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Mining.Kernels.Checkpoints;

/// <summary>
/// The one rule for the model id a codebook records: the id given (<c>--model-id</c>), else config.json's
/// <c>mining_model_id</c>, else its <c>_name_or_path</c> (what transformers' save_pretrained records, when it is an
/// id and not a local path), else the checkpoint folder's name, which callers should warn about.
/// </summary>
public static class CheckpointModelId
{
    /// <summary>config.json field a checkpoint may carry for this project alone.</summary>
    public const string MiningField = "mining_model_id";

    /// <summary>config.json field transformers writes with the id a model was loaded from.</summary>
    public const string NameOrPathField = "_name_or_path";

    /// <summary>The id of the checkpoint in <paramref name="checkpointFolder"/>, and whether it fell back to the folder's name.</summary>
    public static (string Id, bool FromFolderName) Resolve(string checkpointFolder, string? given)
    {
        ArgumentNullException.ThrowIfNull(checkpointFolder);
        if (!string.IsNullOrWhiteSpace(given))
        {
            return (given, false);
        }

        if (FromConfig(Path.Combine(checkpointFolder, "config.json")) is { } recorded)
        {
            return (recorded, false);
        }

        return (Path.GetFileName(Path.GetFullPath(checkpointFolder).TrimEnd(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar)), true);
    }

    /// <summary>Records <paramref name="id"/> as <c>_name_or_path</c> in the config.json of <paramref name="checkpointFolder"/>.</summary>
    public static void Write(string checkpointFolder, string id)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        var path = Path.Combine(checkpointFolder, "config.json");
        var config = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        config[NameOrPathField] = id;
        File.WriteAllText(path, config.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }) + "\n");
    }

    private static string? FromConfig(string configPath)
    {
        if (!File.Exists(configPath))
        {
            return null;
        }

        try
        {
            if (JsonNode.Parse(File.ReadAllText(configPath)) is not JsonObject config)
            {
                return null;
            }

            foreach (var field in new[] { MiningField, NameOrPathField })
            {
                if (config[field] is JsonValue value && value.TryGetValue<string>(out var id) && IsId(id))
                {
                    return id;
                }
            }
        }
        catch (JsonException)
        {
            // A broken config.json is reported by whoever loads the checkpoint, with its own message.
        }

        return null;
    }

    /// <summary>Whether <paramref name="value"/> reads as a model id rather than a local path.</summary>
    /// <remarks>"llava-hf/llava-1.5-7b-hf" is an id; "/home/me/llava", "./llava" or "C:\models\llava" (a local path, as
    /// save_pretrained may record) is not.</remarks>
    public static bool IsId(string value) =>
        !string.IsNullOrWhiteSpace(value) && !Path.IsPathRooted(value) && !value.StartsWith('.') && !value.Contains('\\', StringComparison.Ordinal);
}
