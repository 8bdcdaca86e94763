using System.Globalization;
using System.Text.Json;

namespace Mining.Kernels.Text;

/// <summary>The parts of a Hugging Face <c>tokenizer_config.json</c> the LLaMA tokenizer uses: special-token names and added tokens.</summary>
internal sealed record TokenizerConfig(
    string Path,
    string? BosToken,
    string? EosToken,
    string? UnkToken,
    IReadOnlyDictionary<int, string> AddedTokens)
{
    /// <summary>Reads the file; a missing file is an empty config (the SentencePiece model's own ids then apply).</summary>
    public static TokenizerConfig Read(string path)
    {
        if (!File.Exists(path))
        {
            return new TokenizerConfig(path, null, null, null, new Dictionary<int, string>());
        }

        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(path));
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new TokenizerException($"{path}: expected a JSON object, found {root.ValueKind}");
            }

            return new TokenizerConfig(
                path,
                TokenName(root, "bos_token", path),
                TokenName(root, "eos_token", path),
                TokenName(root, "unk_token", path),
                AddedTokensOf(root, path));
        }
        catch (JsonException e)
        {
            throw new TokenizerException($"{path}: not valid JSON: {e.Message}", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new TokenizerException($"{path}: cannot read: {e.Message}", e);
        }
    }

    /// <summary>A special token is a string, an AddedToken object <c>{"content": ...}</c>, or null/absent.</summary>
    private static string? TokenName(JsonElement root, string field, string path)
    {
        if (!root.TryGetProperty(field, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Object when value.TryGetProperty("content", out var content) && content.ValueKind == JsonValueKind.String
                => content.GetString(),
            _ => throw new TokenizerException($"{path}: {field} must be a string or an object with \"content\", found {value.ValueKind}"),
        };
    }

    /// <summary><c>added_tokens_decoder</c>: {"32000": {"content": "&lt;image&gt;", ...}, ...}.</summary>
    private static Dictionary<int, string> AddedTokensOf(JsonElement root, string path)
    {
        var added = new Dictionary<int, string>();
        if (!root.TryGetProperty("added_tokens_decoder", out var decoder) || decoder.ValueKind == JsonValueKind.Null)
        {
            return added;
        }

        if (decoder.ValueKind != JsonValueKind.Object)
        {
            throw new TokenizerException($"{path}: added_tokens_decoder must be an object, found {decoder.ValueKind}");
        }

        foreach (var entry in decoder.EnumerateObject())
        {
            if (!int.TryParse(entry.Name, NumberStyles.None, CultureInfo.InvariantCulture, out var id)
                || entry.Value.ValueKind != JsonValueKind.Object
                || !entry.Value.TryGetProperty("content", out var content)
                || content.ValueKind != JsonValueKind.String)
            {
                throw new TokenizerException(
                    $"{path}: added_tokens_decoder entry \"{entry.Name}\" must map an id to an object with a string \"content\"");
            }

            added[id] = content.GetString()!;
        }

        return added;
    }
}
