using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Mining.Kernels.Checkpoints;

/// <summary>
/// One object of a Hugging Face config file (config.json's top level, <c>text_config</c> or <c>vision_config</c>, or
/// preprocessor_config.json) read field by field, each absent field taking the default given.
/// </summary>
/// <remarks>
/// A field present with <c>null</c> counts as absent only where transformers' default is itself None; elsewhere null is an error.
/// Errors name the file and the field; they are <see cref="CheckpointException"/>s unless <paramref name="error"/> makes another kind.
/// </remarks>
internal sealed class ConfigSection(JsonObject json, string file, string prefix, Func<string, Exception>? error = null)
{
    private readonly Func<string, Exception> _error = error ?? (message => new CheckpointException(message));

    public string File { get; } = file;

    public bool Has(string key) => json[key] is not null;

    public JsonNode? Node(string key) => json[key];

    public ConfigSection? Section(string key)
    {
        if (!json.TryGetPropertyValue(key, out var node) || node is null)
        {
            return null;
        }

        return node is JsonObject obj
            ? new ConfigSection(obj, File, prefix + key + ".", _error)
            : throw Fail(key, $"must be an object, got {Show(node)}");
    }

    public int PositiveInt(string key, int fallback)
    {
        var value = Int(key, fallback);
        return value > 0 ? value : throw Fail(key, $"must be a positive integer, got {value}");
    }

    public int? OptionalPositiveInt(string key)
    {
        if (!Has(key))
        {
            return null;
        }

        return PositiveInt(key, 0);
    }

    public int Int(string key, int fallback)
    {
        if (!json.TryGetPropertyValue(key, out var node))
        {
            return fallback;
        }

        return node is JsonValue value && value.GetValueKind() == JsonValueKind.Number && value.TryGetValue<int>(out var number)
            ? number
            : throw Fail(key, $"must be an integer, got {Show(node)}");
    }

    public int? OptionalInt(string key) => Has(key) ? Int(key, 0) : null;

    public double PositiveDouble(string key, double fallback)
    {
        if (!json.TryGetPropertyValue(key, out var node))
        {
            return fallback;
        }

        return node is JsonValue value && value.GetValueKind() == JsonValueKind.Number && value.TryGetValue<double>(out var number) && number > 0 && double.IsFinite(number)
            ? number
            : throw Fail(key, $"must be a positive number, got {Show(node)}");
    }

    /// <summary>A finite number, or <paramref name="fallback"/> when the field is absent.</summary>
    public double Number(string key, double fallback) =>
        json.TryGetPropertyValue(key, out var node) ? Number(node, key) : fallback;

    /// <summary>The finite number in <paramref name="node"/>, which <paramref name="key"/> names in an error (a field, or an element such as <c>image_mean[1]</c>).</summary>
    public double Number(JsonNode? node, string key) =>
        node is JsonValue value && value.GetValueKind() == JsonValueKind.Number && value.TryGetValue<double>(out var number) && double.IsFinite(number)
            ? number
            : throw Fail(key, $"must be a number, got {Show(node)}");

    public string String(string key, string fallback)
    {
        if (!json.TryGetPropertyValue(key, out var node))
        {
            return fallback;
        }

        return node is JsonValue value && value.GetValueKind() == JsonValueKind.String
            ? value.GetValue<string>()
            : throw Fail(key, $"must be a string, got {Show(node)}");
    }

    public string? OptionalString(string key) => Has(key) ? String(key, "") : null;

    public bool Bool(string key, bool fallback)
    {
        if (!json.TryGetPropertyValue(key, out var node))
        {
            return fallback;
        }

        return node?.GetValueKind() switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw Fail(key, $"must be true or false, got {Show(node)}"),
        };
    }

    /// <summary>An error naming the file and the field (with its section, e.g. <c>text_config.hidden_size</c>).</summary>
    public Exception Fail(string key, string problem) => _error($"{File}: field '{prefix}{key}' {problem}");

    public static string Show(JsonNode? node) => node is null ? "null" : node.ToJsonString();

    public static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
