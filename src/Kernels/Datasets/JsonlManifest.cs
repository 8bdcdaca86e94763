using System.Text.Json;

namespace Mining.Kernels.Datasets;

/// <summary>Reads a JSON Lines manifest: one object per line with string fields <c>image_id</c> and <c>path</c>; other fields are ignored, blank lines skipped.</summary>
internal static class JsonlManifest
{
    private const string ImageIdField = "image_id";
    private const string PathField = "path";

    /// <summary>The entries of the manifest <paramref name="file"/>, in file order.</summary>
    public static IReadOnlyList<ManifestEntry> Read(string file, TextReader reader)
    {
        var entries = new List<ManifestEntry>();
        var line = 0;
        string? text;
        while ((text = reader.ReadLine()) is not null)
        {
            line++;
            if (string.IsNullOrWhiteSpace(text))
            {
                continue;
            }

            JsonDocument document;
            try
            {
                document = JsonDocument.Parse(text);
            }
            catch (JsonException e)
            {
                throw new DatasetException(file, line, $"invalid JSON: {e.Message}", e);
            }

            using (document)
            {
                if (document.RootElement.ValueKind != JsonValueKind.Object)
                {
                    throw new DatasetException(file, line, $"expected a JSON object with {ImageIdField} and {PathField}, got a JSON {document.RootElement.ValueKind.ToString().ToLowerInvariant()}");
                }

                entries.Add(new ManifestEntry(
                    StringField(file, line, document.RootElement, ImageIdField),
                    StringField(file, line, document.RootElement, PathField),
                    line));
            }
        }

        if (entries.Count == 0)
        {
            throw new DatasetException(file, null, $"the manifest is empty: expected one JSON object per line with {ImageIdField} and {PathField}");
        }

        return entries;
    }

    private static string StringField(string file, int line, JsonElement row, string name)
    {
        if (!row.TryGetProperty(name, out var value))
        {
            throw new DatasetException(file, line, $"missing {name}");
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            throw new DatasetException(file, line, $"{name} must be a string, got a JSON {value.ValueKind.ToString().ToLowerInvariant()}");
        }

        var text = value.GetString()!;
        if (string.IsNullOrWhiteSpace(text))
        {
            throw new DatasetException(file, line, $"empty {name}");
        }

        return text;
    }
}
