using System.Text.Json.Nodes;

namespace Mining.Kernels.Checkpoints;

/// <summary>
/// Writes the fields of one config object into <paramref name="json"/>; with <paramref name="omitDefaultFields"/>, a field equal
/// to the value a reader assumes when it is absent is left out, as in llava-hf's own files.
/// </summary>
internal readonly struct ConfigWriter(JsonObject json, bool omitDefaultFields)
{
    /// <summary>Writes <paramref name="value"/> under <paramref name="key"/> unless defaults are omitted and it equals <paramref name="fallback"/>.</summary>
    public void Put<T>(string key, T value, T fallback)
    {
        if (!omitDefaultFields || !EqualityComparer<T>.Default.Equals(value, fallback))
        {
            json[key] = JsonValue.Create(value);
        }
    }
}
