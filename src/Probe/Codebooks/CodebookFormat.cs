using System.Globalization;
using System.Text.Json;

namespace Mining.Probe.Codebooks;

/// <summary>The names and the version rule of the codebook Parquet format (ARCHITECTURE §3; docs/codebook-format.md).</summary>
/// <remarks>
/// A format version is <c>MAJOR</c> or <c>MAJOR.MINOR</c>. A minor version may only add (columns, metadata keys) what a
/// reader of the same major version can ignore; anything else is a new major version. So a reader accepts every
/// version whose major it knows and refuses the rest by name, never guessing at a layout it was not written for.
/// </remarks>
public static class CodebookFormat
{
    /// <summary>The format version this library writes.</summary>
    public const string Version = "1";

    /// <summary>The only major version this library reads.</summary>
    public const int SupportedMajorVersion = 1;

    /// <summary>Column holding <see cref="CodebookEntry.PrototypeId"/> (int32).</summary>
    public const string PrototypeIdColumn = "prototype_id";

    /// <summary>Column holding <see cref="CodebookEntry.Embedding"/> (list&lt;float32&gt; of the hidden size).</summary>
    public const string EmbeddingColumn = "embedding";

    /// <summary>Column holding <see cref="CodebookEntry.SourceImageId"/> (UTF-8 string).</summary>
    public const string SourceImageIdColumn = "source_image_id";

    /// <summary>Column holding <see cref="CodebookEntry.ClusterId"/> (int32).</summary>
    public const string ClusterIdColumn = "cluster_id";

    /// <summary>Column holding <see cref="CodebookEntry.ClusterUniqueImages"/> (int32).</summary>
    public const string ClusterUniqueImagesColumn = "cluster_unique_images";

    /// <summary>Column holding <see cref="CodebookEntry.Members"/> (int32).</summary>
    public const string MembersColumn = "members";

    /// <summary>Key of the format version (<see cref="Version"/>).</summary>
    public const string FormatVersionKey = "mining.format_version";

    /// <summary>Key of <see cref="CodebookMetadata.Model"/>.</summary>
    public const string ModelKey = "mining.model";

    /// <summary>Key of <see cref="CodebookMetadata.HiddenSize"/> (decimal integer).</summary>
    public const string HiddenSizeKey = "mining.hidden_size";

    /// <summary>Key of <see cref="CodebookMetadata.CodebookVersion"/> (decimal integer).</summary>
    public const string CodebookVersionKey = "mining.codebook_version";

    /// <summary>Key of <see cref="CodebookMetadata.JobIds"/> (JSON array of strings).</summary>
    public const string JobIdsKey = "mining.job_ids";

    /// <summary>Key of <see cref="CodebookMetadata.ParametersJson"/> (a JSON object).</summary>
    public const string ParametersKey = "mining.parameters";

    /// <summary>Key of <see cref="CodebookMetadata.CreatedUtc"/> (ISO-8601, UTC, e.g. 2025-01-31T12:00:00.0000000Z).</summary>
    public const string CreatedUtcKey = "mining.created_utc";

    /// <summary>Key of <see cref="CodebookMetadata.Family"/>; optional.</summary>
    public const string FamilyKey = "mining.family";

    /// <summary>Key of <see cref="CodebookMetadata.Preset"/>; optional.</summary>
    public const string PresetKey = "mining.preset";

    /// <summary>The six columns of format version 1, in file order.</summary>
    public static IReadOnlyList<string> Columns { get; } =
        [PrototypeIdColumn, EmbeddingColumn, SourceImageIdColumn, ClusterIdColumn, ClusterUniqueImagesColumn, MembersColumn];

    /// <summary>The seven key-value metadata keys of format version 1, all required.</summary>
    public static IReadOnlyList<string> Keys { get; } =
        [FormatVersionKey, ModelKey, HiddenSizeKey, CodebookVersionKey, JobIdsKey, ParametersKey, CreatedUtcKey];

    /// <summary>
    /// The optional keys of format version 1, written only when their value is known. A file without them (every file
    /// written before they existed) reads as before; a reader that does not know them ignores them, as it does any key.
    /// </summary>
    public static IReadOnlyList<string> OptionalKeys { get; } = [FamilyKey, PresetKey];

    /// <summary>
    /// The key-value metadata of <paramref name="metadata"/> as a file holds it: every <see cref="Keys"/> entry, the
    /// format version being <see cref="CodebookMetadata.FormatVersion"/>, the time in UTC with seven fractional digits;
    /// and each <see cref="OptionalKeys"/> entry whose value is not null.
    /// </summary>
    public static Dictionary<string, string> Pairs(CodebookMetadata metadata)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        var pairs = new Dictionary<string, string>
        {
            [FormatVersionKey] = metadata.FormatVersion,
            [ModelKey] = metadata.Model,
            [HiddenSizeKey] = metadata.HiddenSize.ToString(CultureInfo.InvariantCulture),
            [CodebookVersionKey] = metadata.CodebookVersion.ToString(CultureInfo.InvariantCulture),
            [JobIdsKey] = JsonSerializer.Serialize(metadata.JobIds.ToArray()),
            [ParametersKey] = metadata.ParametersJson,
            [CreatedUtcKey] = metadata.CreatedUtc.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture),
        };
        if (metadata.Family is { } family)
        {
            pairs[FamilyKey] = family;
        }

        if (metadata.Preset is { } preset)
        {
            pairs[PresetKey] = preset;
        }

        return pairs;
    }

    /// <summary>
    /// Checks that <paramref name="version"/> (the value of <see cref="FormatVersionKey"/> in <paramref name="source"/>)
    /// is one this library reads: major version <see cref="SupportedMajorVersion"/>, any minor.
    /// </summary>
    /// <exception cref="InvalidDataException">The version is not <c>MAJOR</c> or <c>MAJOR.MINOR</c>, or its major
    /// version is not <see cref="SupportedMajorVersion"/>; the message names the source, the version and the supported one.</exception>
    public static void RequireSupported(string version, string source)
    {
        ArgumentNullException.ThrowIfNull(version);
        var parts = version.Split('.');
        if (parts.Length > 2 || !parts.All(p => int.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out _)))
        {
            throw new InvalidDataException(
                $"{source}: {FormatVersionKey} is '{version}', which is not a format version (MAJOR or MAJOR.MINOR); this reader supports format version {Version}");
        }

        var major = int.Parse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture);
        if (major != SupportedMajorVersion)
        {
            throw new InvalidDataException(
                $"{source}: {FormatVersionKey} is '{version}' (major version {major}), but this reader supports format version {Version} (major {SupportedMajorVersion}) only; read it with a Mining.Probe that knows format {major}");
        }
    }
}
