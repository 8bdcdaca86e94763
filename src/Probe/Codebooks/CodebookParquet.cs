using System.Globalization;
using System.Text.Json;
using Parquet;
using Parquet.Schema;
using Mining.Probe.IO;
using static Mining.Probe.Codebooks.CodebookFormat;

namespace Mining.Probe.Codebooks;

/// <summary>Reads and writes a <see cref="Codebook"/> as Parquet in format version 1 (ARCHITECTURE §3; docs/codebook-format.md).</summary>
/// <remarks>
/// Layout: one row per prototype, one row group; columns <c>prototype_id</c> int32, <c>embedding</c>
/// list&lt;float32&gt; in the standard three-level LIST layout (<c>embedding.list.element</c>), <c>source_image_id</c>
/// UTF-8 string, <c>cluster_id</c>, <c>cluster_unique_images</c>, <c>members</c> int32. Every column is required
/// except <c>embedding</c>'s outer group, which Parquet.Net always marks optional (as pyarrow does by default); no
/// value is ever null. The <c>mining.*</c> key-value pairs carry <see cref="CodebookMetadata"/>. The reader also
/// accepts files written by other tools with optional columns and several row groups, as long as no value is null,
/// and ignores columns and keys it does not know (a later minor version's). Services should call the async methods;
/// the synchronous ones block on them.
/// </remarks>
public static class CodebookParquet
{
    /// <summary>Writes <paramref name="codebook"/> to <paramref name="path"/>; blocks on <see cref="WriteAsync(Codebook, string, CancellationToken)"/>.</summary>
    public static void Write(Codebook codebook, string path) =>
        WriteAsync(codebook, path).GetAwaiter().GetResult();

    /// <summary>Reads the codebook at <paramref name="path"/>; blocks on <see cref="ReadAsync(string, CancellationToken)"/>.</summary>
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

        await AtomicFile.WriteAsync(path, stream => WriteValidatedAsync(codebook, stream, cancellationToken), cancellationToken);
    }

    /// <summary>Writes <paramref name="codebook"/> as a Parquet file to <paramref name="stream"/> (writable and seekable), leaving it open.</summary>
    /// <exception cref="ArgumentException">The codebook is inconsistent (embedding width, ids, metadata JSON).</exception>
    public static async Task WriteAsync(Codebook codebook, Stream stream, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(codebook);
        ArgumentNullException.ThrowIfNull(stream);
        Validate(codebook);
        await WriteValidatedAsync(codebook, stream, cancellationToken);
    }

    /// <summary>
    /// Reads and validates the codebook at <paramref name="path"/>. A file that is not Parquet (or is cut short),
    /// has an unsupported format version, lacks a column or a <c>mining.*</c> key, holds nulls, or whose embeddings do
    /// not all have <c>mining.hidden_size</c> values raises <see cref="InvalidDataException"/> naming the file and the problem.
    /// </summary>
    /// <exception cref="FileNotFoundException">There is no file at <paramref name="path"/>.</exception>
    public static async Task<Codebook> ReadAsync(string path, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"{path}: codebook file not found", path);
        }

        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16, useAsync: true);
        return await ReadAsync(stream, path, cancellationToken);
    }

    /// <summary>
    /// Reads and validates a codebook from <paramref name="stream"/>, which is left open; <paramref name="source"/>
    /// names it in error messages (a path, a URL). A stream that cannot seek is copied into memory first, since
    /// Parquet's footer sits at the end.
    /// </summary>
    /// <exception cref="InvalidDataException">As <see cref="ReadAsync(string, CancellationToken)"/>, naming <paramref name="source"/>.</exception>
    public static async Task<Codebook> ReadAsync(Stream stream, string source, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentException.ThrowIfNullOrEmpty(source);
        if (!stream.CanSeek)
        {
            var copy = new MemoryStream();
            await stream.CopyToAsync(copy, cancellationToken);
            copy.Position = 0;
            stream = copy;
        }

        try
        {
            await using var reader = await ParquetReader.CreateAsync(stream, leaveStreamOpen: true, cancellationToken: cancellationToken);
            var metadata = ParseMetadata(reader.CustomMetadata, source);
            var fields = FindColumns(reader.Schema, source);
            var entries = new List<CodebookEntry>();
            for (var g = 0; g < reader.RowGroupCount; g++)
            {
                using var group = reader.OpenRowGroupReader(g);
                var rows = checked((int)group.RowCount);
                var ids = await ReadIntsAsync(group, fields.PrototypeId, rows, source, cancellationToken);
                var embeddings = await ReadEmbeddingsAsync(group, fields.Embedding, rows, metadata.HiddenSize, entries.Count, source, cancellationToken);
                var sources = await ReadStringsAsync(group, fields.SourceImageId, rows, source, cancellationToken);
                var clusters = await ReadIntsAsync(group, fields.ClusterId, rows, source, cancellationToken);
                var uniqueImages = await ReadIntsAsync(group, fields.ClusterUniqueImages, rows, source, cancellationToken);
                var members = await ReadIntsAsync(group, fields.Members, rows, source, cancellationToken);
                for (var i = 0; i < rows; i++)
                {
                    entries.Add(new CodebookEntry(ids[i], embeddings[i], sources[i], clusters[i], uniqueImages[i], members[i]));
                }
            }

            var duplicate = entries.GroupBy(e => e.PrototypeId).FirstOrDefault(g => g.Count() > 1);
            if (duplicate is not null)
            {
                throw new InvalidDataException($"{source}: prototype_id {duplicate.Key} occurs {duplicate.Count()} times; ids must be unique");
            }

            return new Codebook(metadata, entries);
        }
        catch (Exception e) when (e is not InvalidDataException and not OperationCanceledException)
        {
            throw new InvalidDataException($"{source}: not a readable Parquet codebook (not Parquet, or cut short): {e.Message}", e);
        }
    }

    private static async Task WriteValidatedAsync(Codebook codebook, Stream stream, CancellationToken cancellationToken)
    {
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

        await using var writer = await ParquetWriter.CreateAsync(schema, stream, cancellationToken: cancellationToken);
        writer.CustomMetadata = CodebookFormat.Pairs(codebook.Metadata with { FormatVersion = CodebookFormat.Version });
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
        if (metadata.Family is { } family && string.IsNullOrWhiteSpace(family))
        {
            throw new ArgumentException("codebook metadata: Family must be null (unknown) or a family name, not blank", nameof(codebook));
        }

        if (metadata.Preset is { } preset && string.IsNullOrWhiteSpace(preset))
        {
            throw new ArgumentException("codebook metadata: Preset must be null (unknown) or a preset name, not blank", nameof(codebook));
        }

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

    private static CodebookMetadata ParseMetadata(IReadOnlyDictionary<string, string> pairs, string path)
    {
        // The version comes first: a file of another major version may lack keys version 1 requires, and its
        // version is the one thing worth telling the caller.
        if (pairs.TryGetValue(FormatVersionKey, out var formatVersion))
        {
            RequireSupported(formatVersion, path);
        }

        var missing = Keys.Where(k => !pairs.ContainsKey(k)).ToArray();
        if (missing.Length > 0)
        {
            throw new InvalidDataException($"{path}: missing key-value metadata {string.Join(", ", missing)}; not a Mining codebook");
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

        return new CodebookMetadata(pairs[ModelKey], hidden, version, jobIds, pairs[ParametersKey], created)
        {
            FormatVersion = pairs[FormatVersionKey],
            Family = Optional(pairs, FamilyKey, path),
            Preset = Optional(pairs, PresetKey, path),
        };
    }

    private static string? Optional(IReadOnlyDictionary<string, string> pairs, string key, string path) =>
        !pairs.TryGetValue(key, out var value) ? null
        : string.IsNullOrWhiteSpace(value) ? throw new InvalidDataException($"{path}: {key} is empty; expected a name, or no key when it is unknown")
        : value;

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

    private sealed record ColumnFields(DataField PrototypeId, DataField Embedding, DataField SourceImageId, DataField ClusterId, DataField ClusterUniqueImages, DataField Members);

    private static ColumnFields FindColumns(ParquetSchema schema, string path)
    {
        var byName = schema.Fields.ToDictionary(f => f.Name);
        var missing = CodebookFormat.Columns.Where(c => !byName.ContainsKey(c)).ToArray();
        if (missing.Length > 0)
        {
            throw new InvalidDataException($"{path}: missing column(s) {string.Join(", ", missing)} (format v1 needs {string.Join(", ", CodebookFormat.Columns)})");
        }

        // Parquet.Net reports a string column read from a file as ReadOnlyMemory<char>.
        DataField Flat(string name, Type type) =>
            byName[name] is DataField field && !field.IsArray && (field.ClrType == type || (type == typeof(string) && field.ClrType == typeof(ReadOnlyMemory<char>)))
                ? field
                : throw new InvalidDataException($"{path}: column '{name}' must be a plain {(type == typeof(int) ? "int32" : "string")} column, found {byName[name]}");

        var embedding = byName[EmbeddingColumn] is ListField { Item: DataField { ClrType: var itemType } item } && itemType == typeof(float)
            ? item
            : throw new InvalidDataException($"{path}: column '{EmbeddingColumn}' must be list<float32>, found {byName[EmbeddingColumn]}");

        return new ColumnFields(
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
