using Mining.Kernels.IO;
using System.Globalization;
using System.Text.Json;
using Parquet;
using Parquet.Schema;

namespace Mining.Kernels.Codebooks;

/// <summary>Reads and writes a <see cref="Codebook"/> as a Parquet file in format version 1 (ARCHITECTURE §3).</summary>
/// <remarks>
/// Layout: one row per prototype, one row group; columns <c>prototype_id</c> int32, <c>embedding</c>
/// list&lt;float32&gt; in the standard three-level LIST layout (<c>embedding.list.element</c>), <c>source_image_id</c>
/// UTF-8 string, <c>cluster_id</c>, <c>cluster_unique_images</c>, <c>members</c> int32. Every column is required
/// except <c>embedding</c>'s outer group, which Parquet.Net always marks optional (as pyarrow does by default); no
/// value is ever null. The <c>mining.*</c> key-value pairs carry <see cref="CodebookMetadata"/>. The reader also
/// accepts files written by other tools with optional columns, as long as no value is null. Grains should call the
/// async methods; the synchronous ones block on them.
/// </remarks>
public static class CodebookParquet
{
    /// <summary>Column holding <see cref="CodebookEntry.PrototypeId"/>.</summary>
    public const string PrototypeIdColumn = "prototype_id";

    /// <summary>Column holding <see cref="CodebookEntry.Embedding"/>.</summary>
    public const string EmbeddingColumn = "embedding";

    /// <summary>Column holding <see cref="CodebookEntry.SourceImageId"/>.</summary>
    public const string SourceImageIdColumn = "source_image_id";

    /// <summary>Column holding <see cref="CodebookEntry.ClusterId"/>.</summary>
    public const string ClusterIdColumn = "cluster_id";

    /// <summary>Column holding <see cref="CodebookEntry.ClusterUniqueImages"/>.</summary>
    public const string ClusterUniqueImagesColumn = "cluster_unique_images";

    /// <summary>Column holding <see cref="CodebookEntry.Members"/>.</summary>
    public const string MembersColumn = "members";

    /// <summary>Key of the format version ("1").</summary>
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

    private static readonly string[] RequiredColumns =
        [PrototypeIdColumn, EmbeddingColumn, SourceImageIdColumn, ClusterIdColumn, ClusterUniqueImagesColumn, MembersColumn];

    private static readonly string[] RequiredKeys =
        [FormatVersionKey, ModelKey, HiddenSizeKey, CodebookVersionKey, JobIdsKey, ParametersKey, CreatedUtcKey];

    /// <summary>Writes <paramref name="codebook"/> to <paramref name="path"/>; blocks on <see cref="WriteAsync"/>.</summary>
    public static void Write(Codebook codebook, string path) =>
        WriteAsync(codebook, path).GetAwaiter().GetResult();

    /// <summary>Reads the codebook at <paramref name="path"/>; blocks on <see cref="ReadAsync"/>.</summary>
    public static Codebook Read(string path) =>
        ReadAsync(path).GetAwaiter().GetResult();

    /// <summary>
    /// Writes <paramref name="codebook"/> to <paramref name="path"/>, replacing any file there. The bytes go to a
    /// temporary file in the same folder that is moved into place only when complete, so a failure leaves either
    /// the old file or nothing — never a partial codebook.
    /// </summary>
    /// <exception cref="ArgumentException">The codebook is inconsistent (embedding width, ids, metadata JSON).</exception>
    public static async Task WriteAsync(Codebook codebook, string path, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(codebook);
        ArgumentException.ThrowIfNullOrEmpty(path);
        Validate(codebook);

        var entries = codebook.Entries;
        var hidden = codebook.Metadata.HiddenSize;
        var schema = new ParquetSchema(
            new DataField<int>(PrototypeIdColumn, false),
            new ListField(EmbeddingColumn, new DataField<float>(ListField.ElementName, false)),
            new DataField<string>(SourceImageIdColumn, false),
            new DataField<int>(ClusterIdColumn, false),
            new DataField<int>(ClusterUniqueImagesColumn, false),
            new DataField<int>(MembersColumn, false));
        var fields = schema.DataFields;

        // The embedding leaf is written with explicit levels: repetition 0 starts a row, 1 continues its list;
        // every element is present, so every definition level is the leaf's maximum.
        var values = new float[entries.Count * hidden];
        var repetition = new int[values.Length];
        var definition = new int[values.Length];
        Array.Fill(definition, fields[1].MaxDefinitionLevel);
        for (var row = 0; row < entries.Count; row++)
        {
            entries[row].Embedding.CopyTo(values, row * hidden);
            repetition.AsSpan(row * hidden + 1, hidden - 1).Fill(1);
        }

        await AtomicFile.WriteAsync(path, async stream =>
        {
            await using var writer = await ParquetWriter.CreateAsync(schema, stream, cancellationToken: cancellationToken);
            writer.CustomMetadata = MetadataPairs(codebook.Metadata);
            if (entries.Count == 0)
            {
                return;
            }

            using var group = writer.CreateRowGroup();
            await group.WriteAsync<int>(fields[0], entries.Select(e => e.PrototypeId).ToArray(), cancellationToken: cancellationToken);
            await group.WriteAllPartsAsync<float>(fields[1], values, definition, repetition, cancellationToken);
            await group.WriteAsync(fields[2], entries.Select(e => e.SourceImageId).ToArray());
            await group.WriteAsync<int>(fields[3], entries.Select(e => e.ClusterId).ToArray(), cancellationToken: cancellationToken);
            await group.WriteAsync<int>(fields[4], entries.Select(e => e.ClusterUniqueImages).ToArray(), cancellationToken: cancellationToken);
            await group.WriteAsync<int>(fields[5], entries.Select(e => e.Members).ToArray(), cancellationToken: cancellationToken);
            group.CompleteValidate();
        }, cancellationToken);
    }

    /// <summary>
    /// Reads and validates the codebook at <paramref name="path"/>. A file that is not Parquet, lacks a column or a
    /// <c>mining.*</c> key, has another format version, holds nulls, or whose embeddings do not all have
    /// <c>mining.hidden_size</c> values raises <see cref="InvalidDataException"/> naming the file and the problem.
    /// </summary>
    public static async Task<Codebook> ReadAsync(string path, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"{path}: codebook file not found", path);
        }

        try
        {
            await using var reader = await ParquetReader.CreateAsync(path, cancellationToken: cancellationToken);
            var metadata = ParseMetadata(reader.CustomMetadata, path);
            var fields = FindColumns(reader.Schema, path);
            var entries = new List<CodebookEntry>();
            for (var g = 0; g < reader.RowGroupCount; g++)
            {
                using var group = reader.OpenRowGroupReader(g);
                var rows = checked((int)group.RowCount);
                var ids = await ReadIntsAsync(group, fields.PrototypeId, rows, path, cancellationToken);
                var embeddings = await ReadEmbeddingsAsync(group, fields.Embedding, rows, metadata.HiddenSize, entries.Count, path, cancellationToken);
                var sources = await ReadStringsAsync(group, fields.SourceImageId, rows, path, cancellationToken);
                var clusters = await ReadIntsAsync(group, fields.ClusterId, rows, path, cancellationToken);
                var uniqueImages = await ReadIntsAsync(group, fields.ClusterUniqueImages, rows, path, cancellationToken);
                var members = await ReadIntsAsync(group, fields.Members, rows, path, cancellationToken);
                for (var i = 0; i < rows; i++)
                {
                    entries.Add(new CodebookEntry(ids[i], embeddings[i], sources[i], clusters[i], uniqueImages[i], members[i]));
                }
            }

            var duplicate = entries.GroupBy(e => e.PrototypeId).FirstOrDefault(g => g.Count() > 1);
            if (duplicate is not null)
            {
                throw new InvalidDataException($"{path}: prototype_id {duplicate.Key} occurs {duplicate.Count()} times; ids must be unique");
            }

            return new Codebook(metadata, entries);
        }
        catch (Exception e) when (e is not InvalidDataException and not OperationCanceledException)
        {
            throw new InvalidDataException($"{path}: not a readable Parquet codebook: {e.Message}", e);
        }
    }

    private static void Validate(Codebook codebook)
    {
        var metadata = codebook.Metadata;
        if (metadata.HiddenSize <= 0)
        {
            throw new ArgumentException($"codebook metadata: hidden size must be positive, got {metadata.HiddenSize}", nameof(codebook));
        }

        if (metadata.CodebookVersion < 0)
        {
            throw new ArgumentException($"codebook metadata: codebook version must not be negative, got {metadata.CodebookVersion}", nameof(codebook));
        }

        ArgumentException.ThrowIfNullOrWhiteSpace(metadata.Model, "codebook.Metadata.Model");
        ArgumentNullException.ThrowIfNull(metadata.JobIds, "codebook.Metadata.JobIds");
        RequireJsonObject(metadata.ParametersJson, "codebook metadata: ParametersJson", m => new ArgumentException(m, nameof(codebook)));
        var seen = new HashSet<int>();
        foreach (var entry in codebook.Entries)
        {
            if (entry.Embedding is null || entry.Embedding.Length != metadata.HiddenSize)
            {
                throw new ArgumentException(
                    $"codebook prototype {entry.PrototypeId}: embedding has {entry.Embedding?.Length ?? 0} values, expected the hidden size {metadata.HiddenSize}",
                    nameof(codebook));
            }

            if (entry.SourceImageId is null)
            {
                throw new ArgumentException($"codebook prototype {entry.PrototypeId}: source image id is null", nameof(codebook));
            }

            if (!seen.Add(entry.PrototypeId))
            {
                throw new ArgumentException($"codebook: prototype id {entry.PrototypeId} occurs more than once", nameof(codebook));
            }
        }
    }

    private static Dictionary<string, string> MetadataPairs(CodebookMetadata metadata) => new()
    {
        [FormatVersionKey] = CodebookMetadata.FormatVersion,
        [ModelKey] = metadata.Model,
        [HiddenSizeKey] = metadata.HiddenSize.ToString(CultureInfo.InvariantCulture),
        [CodebookVersionKey] = metadata.CodebookVersion.ToString(CultureInfo.InvariantCulture),
        [JobIdsKey] = JsonSerializer.Serialize(metadata.JobIds.ToArray()),
        [ParametersKey] = metadata.ParametersJson,
        [CreatedUtcKey] = metadata.CreatedUtc.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture),
    };

    private static CodebookMetadata ParseMetadata(IReadOnlyDictionary<string, string> pairs, string path)
    {
        var missing = RequiredKeys.Where(k => !pairs.ContainsKey(k)).ToArray();
        if (missing.Length > 0)
        {
            throw new InvalidDataException($"{path}: missing key-value metadata {string.Join(", ", missing)}; not a Mining codebook");
        }

        if (pairs[FormatVersionKey] != CodebookMetadata.FormatVersion)
        {
            throw new InvalidDataException(
                $"{path}: {FormatVersionKey} is '{pairs[FormatVersionKey]}', but this version of Mining reads format '{CodebookMetadata.FormatVersion}' only");
        }

        var hidden = ParseInt(pairs, HiddenSizeKey, 1, path);
        var version = ParseInt(pairs, CodebookVersionKey, 0, path);
        string[] jobIds;
        try
        {
            jobIds = JsonSerializer.Deserialize<string[]>(pairs[JobIdsKey]) ?? throw new JsonException("null");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: {JobIdsKey} must be a JSON array of strings, got '{pairs[JobIdsKey]}' ({e.Message})", e);
        }

        RequireJsonObject(pairs[ParametersKey], $"{path}: {ParametersKey}", m => new InvalidDataException(m));
        if (!DateTimeOffset.TryParse(pairs[CreatedUtcKey], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var created))
        {
            throw new InvalidDataException($"{path}: {CreatedUtcKey} is not an ISO-8601 time: '{pairs[CreatedUtcKey]}'");
        }

        return new CodebookMetadata(pairs[ModelKey], hidden, version, jobIds, pairs[ParametersKey], created);
    }

    private static int ParseInt(IReadOnlyDictionary<string, string> pairs, string key, int minimum, string path)
    {
        if (!int.TryParse(pairs[key], NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value < minimum)
        {
            throw new InvalidDataException($"{path}: {key} must be an integer of at least {minimum}, got '{pairs[key]}'");
        }

        return value;
    }

    private static void RequireJsonObject(string? json, string what, Func<string, Exception> error)
    {
        try
        {
            using var document = JsonDocument.Parse(json ?? "");
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw error($"{what} must be a JSON object, got a JSON {document.RootElement.ValueKind}");
            }
        }
        catch (JsonException e)
        {
            throw error($"{what} is not valid JSON: {e.Message}");
        }
    }

    private sealed record Columns(DataField PrototypeId, DataField Embedding, DataField SourceImageId, DataField ClusterId, DataField ClusterUniqueImages, DataField Members);

    private static Columns FindColumns(ParquetSchema schema, string path)
    {
        var byName = schema.Fields.ToDictionary(f => f.Name);
        var missing = RequiredColumns.Where(c => !byName.ContainsKey(c)).ToArray();
        if (missing.Length > 0)
        {
            throw new InvalidDataException($"{path}: missing column(s) {string.Join(", ", missing)} (format v1 needs {string.Join(", ", RequiredColumns)})");
        }

        // Parquet.Net reports a string column read from a file as ReadOnlyMemory<char>.
        DataField Flat(string name, Type type) =>
            byName[name] is DataField field && !field.IsArray && (field.ClrType == type || (type == typeof(string) && field.ClrType == typeof(ReadOnlyMemory<char>)))
                ? field
                : throw new InvalidDataException($"{path}: column '{name}' must be a plain {(type == typeof(int) ? "int32" : "string")} column, found {byName[name]}");

        var embedding = byName[EmbeddingColumn] is ListField { Item: DataField { ClrType: var itemType } item } && itemType == typeof(float)
            ? item
            : throw new InvalidDataException($"{path}: column '{EmbeddingColumn}' must be list<float32>, found {byName[EmbeddingColumn]}");

        return new Columns(
            Flat(PrototypeIdColumn, typeof(int)),
            embedding,
            Flat(SourceImageIdColumn, typeof(string)),
            Flat(ClusterIdColumn, typeof(int)),
            Flat(ClusterUniqueImagesColumn, typeof(int)),
            Flat(MembersColumn, typeof(int)));
    }

    private static async Task<int[]> ReadIntsAsync(ParquetRowGroupReader group, DataField field, int rows, string path, CancellationToken cancellationToken)
    {
        if (field.MaxDefinitionLevel == 0)
        {
            var values = new int[rows];
            await group.ReadAsync<int>(field, values, cancellationToken: cancellationToken);
            return values;
        }

        // An optional column written by another tool: accepted as long as it holds no null.
        var nullable = new int?[rows];
        await group.ReadAsync<int>(field, nullable, cancellationToken: cancellationToken);
        return nullable.Select((v, i) => v ?? throw new InvalidDataException($"{path}: column '{field.Name}' is null in row {i}")).ToArray();
    }

    private static async Task<string[]> ReadStringsAsync(ParquetRowGroupReader group, DataField field, int rows, string path, CancellationToken cancellationToken)
    {
        var values = new string?[rows];
        await group.ReadAsync(field, values, cancellationToken: cancellationToken);
        return values.Select((v, i) => v ?? throw new InvalidDataException($"{path}: column '{field.Name}' is null in row {i}")).ToArray();
    }

    private static async Task<float[][]> ReadEmbeddingsAsync(
        ParquetRowGroupReader group, DataField leaf, int rows, int hidden, int firstRow, string path, CancellationToken cancellationToken)
    {
        var levels = checked((int)(group.GetMetadata(leaf)?.MetaData?.NumValues
            ?? throw new InvalidDataException($"{path}: column '{EmbeddingColumn}' has no data in a row group")));
        var values = new float[levels];
        var definition = new int[levels];
        var repetition = new int[levels];
        await group.ReadRawAsync<float>(leaf, values, definition, repetition, cancellationToken);

        // Dremel levels: repetition 0 opens a new row; a definition level below the maximum is a null or empty
        // list, or a null element — none of which a prototype may be.
        var embeddings = new float[rows][];
        var row = -1;
        var column = 0;
        var next = 0;
        for (var i = 0; i < levels; i++)
        {
            if (repetition[i] == 0)
            {
                CheckWidth(row, column);
                row++;
                column = 0;
                if (row >= rows)
                {
                    throw new InvalidDataException($"{path}: column '{EmbeddingColumn}' holds more lists than the row group's {rows} rows");
                }

                embeddings[row] = new float[hidden];
            }

            if (definition[i] < leaf.MaxDefinitionLevel)
            {
                throw new InvalidDataException($"{path}: row {firstRow + row}: embedding is null, empty or holds a null value");
            }

            if (column < hidden)
            {
                embeddings[row][column] = values[next];
            }

            column++;
            next++;
        }

        CheckWidth(row, column);
        if (row != rows - 1)
        {
            throw new InvalidDataException($"{path}: column '{EmbeddingColumn}' holds {row + 1} lists for {rows} rows");
        }

        return embeddings;

        void CheckWidth(int r, int width)
        {
            if (r >= 0 && width != hidden)
            {
                throw new InvalidDataException(
                    $"{path}: row {firstRow + r}: embedding has {width} values but {HiddenSizeKey} is {hidden}");
            }
        }
    }
}
