using Mining.Kernels.IO;
using Mining.Probe.IO;
using Parquet;
using Parquet.Schema;

namespace Mining.Kernels.Experiments;

/// <summary>Reads and writes <see cref="ImageResult"/>s as one Parquet file, one row per candidate token.</summary>
/// <remarks>
/// <para>Layout (format <see cref="FormatVersion"/>, one row group): each row is one candidate of one image, in the
/// images' order and then the candidates' order, so DuckDB or pyarrow can query the measurements directly. The
/// image-level columns repeat on every row of an image; <c>image_index</c> (the image's position in the written
/// list) groups rows back into images, so even repeated image ids round-trip. An image with no candidates (a failed
/// one, typically) is a single row whose candidate columns are all null.</para>
/// <para>Columns: <c>image_index</c> int32, <c>image_id</c> string, <c>status</c> string (<c>ok</c> or
/// <c>failed</c>), <c>failure_reason</c> string?, <c>grid</c> int32, <c>hidden_size</c> int32, then per candidate
/// <c>token_index</c> int32?, <c>rank</c> int32?, <c>cls_similarity</c> float32?, <c>window</c> list&lt;int32&gt;?,
/// <c>top1_prob</c> float64?, <c>jsd_region</c> float64?, <c>jsd_global</c> float64?, <c>redundant</c> bool?,
/// <c>kept</c> bool?, and <c>embedding</c> list&lt;float32&gt;?: the token's embedding on kept rows, null elsewhere
/// (so <see cref="ImageResult.KeptEmbeddings"/> is the concatenation of the kept rows' embeddings). Lists use the
/// standard three-level LIST layout. Then, added later within format 1 (a file without them reads as "nothing skipped"):
/// <c>baseline_lead_skipped</c> bool (image level) and per candidate <c>lead_skipped_single</c>,
/// <c>lead_skipped_window</c>, <c>lead_skipped_window_center_padded</c>, <c>lead_skipped_global_window_padded</c> bool?:
/// whether that measurement followed a skipped leading token (<see cref="MiningParameters.SkipLeadingTokens"/>).
/// Key-value metadata: <c>mining.image_results_format_version</c>.</para>
/// <para>Writes go to a temporary file moved into place when complete. Grains should call the async methods.</para>
/// </remarks>
public static class ImageResultParquet
{
    /// <summary>The layout version written under <see cref="FormatVersionKey"/>.</summary>
    public const string FormatVersion = "1";

    /// <summary>Key-value metadata key holding the layout version.</summary>
    public const string FormatVersionKey = "mining.image_results_format_version";

    // A fresh schema per file: Parquet.Net attaches levels and paths to the fields it is given.
    private static ParquetSchema NewSchema() => new(
        new DataField<int>("image_index", false),
        new DataField<string>("image_id", false),
        new DataField<string>("status", false),
        new DataField<string>("failure_reason", true),
        new DataField<int>("grid", false),
        new DataField<int>("hidden_size", false),
        new DataField<int>("token_index", true),
        new DataField<int>("rank", true),
        new DataField<float>("cls_similarity", true),
        new ListField("window", new DataField<int>(ListField.ElementName, false)),
        new DataField<double>("top1_prob", true),
        new DataField<double>("jsd_region", true),
        new DataField<double>("jsd_global", true),
        new DataField<bool>("redundant", true),
        new DataField<bool>("kept", true),
        new ListField("embedding", new DataField<float>(ListField.ElementName, false)),
        new DataField<bool>("baseline_lead_skipped", false),
        new DataField<bool>("lead_skipped_single", true),
        new DataField<bool>("lead_skipped_window", true),
        new DataField<bool>("lead_skipped_window_center_padded", true),
        new DataField<bool>("lead_skipped_global_window_padded", true));

    // Columns from here on were added within format 1; files written before them lack them.
    private const int FirstOptionalField = 16;

    /// <summary>Writes <paramref name="results"/> to <paramref name="path"/>; blocks on <see cref="WriteAsync"/>.</summary>
    public static void Write(IReadOnlyList<ImageResult> results, string path) =>
        WriteAsync(results, path).GetAwaiter().GetResult();

    /// <summary>Reads the results at <paramref name="path"/>; blocks on <see cref="ReadAsync"/>.</summary>
    public static IReadOnlyList<ImageResult> Read(string path) =>
        ReadAsync(path).GetAwaiter().GetResult();

    /// <summary>Whether <paramref name="path"/> is a Parquet file that says it holds per-image results (any layout version); false for anything else, a codebook included.</summary>
    public static bool IsImageResults(string path)
    {
        try
        {
            var reader = ParquetReader.CreateAsync(path).GetAwaiter().GetResult();
            try
            {
                return reader.CustomMetadata.ContainsKey(FormatVersionKey);
            }
            finally
            {
                reader.DisposeAsync().AsTask().GetAwaiter().GetResult();
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ParquetException or InvalidDataException)
        {
            return false;
        }
    }

    /// <summary>Writes <paramref name="results"/> to <paramref name="path"/> atomically, replacing any file there.</summary>
    /// <exception cref="ArgumentException">A result's kept embeddings do not hold kept count × hidden size values.</exception>
    public static async Task WriteAsync(IReadOnlyList<ImageResult> results, string path, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(results);
        ArgumentException.ThrowIfNullOrEmpty(path);
        var rows = Flatten(results);
        await AtomicFile.WriteAsync(path, stream => WriteRowsAsync(rows, stream, cancellationToken), cancellationToken);
    }

    /// <summary>Writes <paramref name="results"/> as a Parquet file to <paramref name="stream"/> (writable and seekable), leaving it open.</summary>
    /// <exception cref="ArgumentException">A result's kept embeddings do not hold kept count × hidden size values.</exception>
    public static Task WriteAsync(IReadOnlyList<ImageResult> results, Stream stream, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(results);
        ArgumentNullException.ThrowIfNull(stream);
        return WriteRowsAsync(Flatten(results), stream, cancellationToken);
    }

    private static async Task WriteRowsAsync(List<Row> rows, Stream stream, CancellationToken cancellationToken)
    {
        var schema = NewSchema();
        var f = schema.DataFields;
        await using var writer = await ParquetWriter.CreateAsync(schema, stream, cancellationToken: cancellationToken);
        writer.CustomMetadata = new Dictionary<string, string> { [FormatVersionKey] = FormatVersion };
        if (rows.Count == 0)
        {
            return;
        }

        using var group = writer.CreateRowGroup();
        await group.WriteAsync<int>(f[0], rows.Select(r => r.ImageIndex).ToArray(), cancellationToken: cancellationToken);
        await group.WriteAsync(f[1], rows.Select(r => r.Image.ImageId).ToArray());
        await group.WriteAsync(f[2], rows.Select(r => StatusName(r.Image.Status)).ToArray());
        await group.WriteAsync(f[3], rows.Select(r => r.Image.FailureReason).ToArray());
        await group.WriteAsync<int>(f[4], rows.Select(r => r.Image.Grid).ToArray(), cancellationToken: cancellationToken);
        await group.WriteAsync<int>(f[5], rows.Select(r => r.Image.HiddenSize).ToArray(), cancellationToken: cancellationToken);
        await group.WriteAsync<int>(f[6], rows.Select(r => r.Token?.TokenIndex).ToArray(), cancellationToken: cancellationToken);
        await group.WriteAsync<int>(f[7], rows.Select(r => r.Token?.Rank).ToArray(), cancellationToken: cancellationToken);
        await group.WriteAsync<float>(f[8], rows.Select(r => r.Token?.ClsSimilarity).ToArray(), cancellationToken: cancellationToken);
        await WriteListAsync(group, f[9], rows.Select(r => r.Token?.Window).ToArray(), cancellationToken);
        await group.WriteAsync<double>(f[10], rows.Select(r => r.Token?.Top1Prob).ToArray(), cancellationToken: cancellationToken);
        await group.WriteAsync<double>(f[11], rows.Select(r => r.Token?.JsdRegion).ToArray(), cancellationToken: cancellationToken);
        await group.WriteAsync<double>(f[12], rows.Select(r => r.Token?.JsdGlobal).ToArray(), cancellationToken: cancellationToken);
        await group.WriteAsync<bool>(f[13], rows.Select(r => r.Token?.Redundant).ToArray(), cancellationToken: cancellationToken);
        await group.WriteAsync<bool>(f[14], rows.Select(r => r.Candidate?.KeptByImageFilter).ToArray(), cancellationToken: cancellationToken);
        await WriteListAsync(group, f[15], rows.Select(r => r.Embedding).ToArray(), cancellationToken);
        await group.WriteAsync<bool>(f[16], rows.Select(r => r.Image.BaselineLeadSkipped).ToArray(), cancellationToken: cancellationToken);
        await group.WriteAsync<bool>(f[17], rows.Select(r => r.Token?.LeadSkipped.Single).ToArray(), cancellationToken: cancellationToken);
        await group.WriteAsync<bool>(f[18], rows.Select(r => r.Token?.LeadSkipped.Window).ToArray(), cancellationToken: cancellationToken);
        await group.WriteAsync<bool>(f[19], rows.Select(r => r.Token?.LeadSkipped.WindowCenterPadded).ToArray(), cancellationToken: cancellationToken);
        await group.WriteAsync<bool>(f[20], rows.Select(r => r.Token?.LeadSkipped.GlobalWindowPadded).ToArray(), cancellationToken: cancellationToken);
        group.CompleteValidate();
    }

    /// <summary>
    /// Reads the results at <paramref name="path"/>. A file that is not Parquet, lacks a column, has another layout
    /// version or is inconsistent raises <see cref="InvalidDataException"/> naming the file and the problem.
    /// </summary>
    public static async Task<IReadOnlyList<ImageResult>> ReadAsync(string path, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"{path}: image results file not found", path);
        }

        FileStream stream;
        try
        {
            stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16, useAsync: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InvalidDataException($"{path}: not a readable image results file: {e.Message}", e);
        }

        await using (stream)
        {
            return await ReadAsync(stream, path, cancellationToken);
        }
    }

    /// <summary>
    /// Reads the results in <paramref name="stream"/> (readable and seekable, left open); errors name
    /// <paramref name="path"/>, the file or artifact the bytes came from, as <see cref="ReadAsync(string, CancellationToken)"/> does.
    /// </summary>
    public static async Task<IReadOnlyList<ImageResult>> ReadAsync(Stream stream, string path, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentException.ThrowIfNullOrEmpty(path);
        try
        {
            await using var reader = await ParquetReader.CreateAsync(stream, leaveStreamOpen: true, cancellationToken: cancellationToken);
            if (!reader.CustomMetadata.TryGetValue(FormatVersionKey, out var version) || version != FormatVersion)
            {
                throw new InvalidDataException(
                    $"{path}: {FormatVersionKey} is '{version ?? "(missing)"}', but this version of Mining reads image results format '{FormatVersion}' only");
            }

            var fields = FindFields(reader.Schema, path);
            var images = new List<ImageResult>();
            var pending = PendingImage.None;
            for (var g = 0; g < reader.RowGroupCount; g++)
            {
                using var group = reader.OpenRowGroupReader(g);
                var n = checked((int)group.RowCount);
                var columns = new ColumnValues(
                    await ReadAsync<int>(group, fields[0]!, n),
                    await ReadStringsAsync(group, fields[1]!, n),
                    await ReadStringsAsync(group, fields[2]!, n),
                    await ReadStringsAsync(group, fields[3]!, n),
                    await ReadAsync<int>(group, fields[4]!, n),
                    await ReadAsync<int>(group, fields[5]!, n),
                    await ReadAsync<int>(group, fields[6]!, n),
                    await ReadAsync<int>(group, fields[7]!, n),
                    await ReadAsync<float>(group, fields[8]!, n),
                    await ReadListAsync<int>(group, fields[9]!, n, path),
                    await ReadAsync<double>(group, fields[10]!, n),
                    await ReadAsync<double>(group, fields[11]!, n),
                    await ReadAsync<double>(group, fields[12]!, n),
                    await ReadAsync<bool>(group, fields[13]!, n),
                    await ReadAsync<bool>(group, fields[14]!, n),
                    await ReadListAsync<float>(group, fields[15]!, n, path),
                    await ReadOptionalAsync<bool>(group, fields[16], n),
                    await ReadOptionalAsync<bool>(group, fields[17], n),
                    await ReadOptionalAsync<bool>(group, fields[18], n),
                    await ReadOptionalAsync<bool>(group, fields[19], n),
                    await ReadOptionalAsync<bool>(group, fields[20], n));
                for (var row = 0; row < n; row++)
                {
                    var index = columns.ImageIndex[row] ?? throw new InvalidDataException($"{path}: image_index is null in row {row}");
                    if (index != pending.Index)
                    {
                        if (index != pending.Index + 1)
                        {
                            throw new InvalidDataException($"{path}: image_index jumps from {pending.Index} to {index}; rows must be grouped by image in order");
                        }

                        pending.Complete(images, path);
                        pending = new PendingImage(index, HeaderOf(columns, row, path));
                    }

                    pending.Add(columns, row, path);
                }
            }

            pending.Complete(images, path);
            return images;
        }
        catch (Exception e) when (e is not InvalidDataException and not OperationCanceledException)
        {
            throw new InvalidDataException($"{path}: not a readable image results file: {e.Message}", e);
        }
    }

    private sealed record Row(int ImageIndex, ImageResult Image, CandidateResult? Candidate, float[]? Embedding)
    {
        public TokenExperimentResult? Token => Candidate?.Measurement;
    }

    private static List<Row> Flatten(IReadOnlyList<ImageResult> results)
    {
        var rows = new List<Row>();
        for (var i = 0; i < results.Count; i++)
        {
            var image = results[i] ?? throw new ArgumentException($"results[{i}] is null", nameof(results));
            ArgumentNullException.ThrowIfNull(image.ImageId, $"results[{i}].ImageId");
            var candidates = image.Candidates ?? [];
            var kept = image.KeptEmbeddings ?? [];
            if (kept.Length != image.KeptCount * image.HiddenSize)
            {
                throw new ArgumentException(
                    $"image '{image.ImageId}': kept embeddings hold {kept.Length} values, expected {image.KeptCount} kept tokens × hidden size {image.HiddenSize} = {image.KeptCount * image.HiddenSize}",
                    nameof(results));
            }

            if (candidates.Count == 0)
            {
                rows.Add(new Row(i, image, null, null));
                continue;
            }

            var keptSoFar = 0;
            foreach (var candidate in candidates)
            {
                if (candidate.Measurement.Window is null)
                {
                    throw new ArgumentException($"image '{image.ImageId}': token {candidate.Measurement.TokenIndex} has no window", nameof(results));
                }

                float[]? embedding = null;
                if (candidate.KeptByImageFilter)
                {
                    embedding = kept.AsSpan(keptSoFar++ * image.HiddenSize, image.HiddenSize).ToArray();
                }

                rows.Add(new Row(i, image, candidate, embedding));
            }
        }

        return rows;
    }

    private static string StatusName(ImageStatus status) => status switch
    {
        ImageStatus.Ok => "ok",
        ImageStatus.Failed => "failed",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "unknown image status"),
    };

    private static ImageStatus ParseStatus(string name, string path) => name switch
    {
        "ok" => ImageStatus.Ok,
        "failed" => ImageStatus.Failed,
        _ => throw new InvalidDataException($"{path}: unknown image status '{name}' (expected 'ok' or 'failed')"),
    };

    private sealed record ColumnValues(
        int?[] ImageIndex, string?[] ImageId, string?[] Status, string?[] FailureReason, int?[] Grid, int?[] HiddenSize,
        int?[] TokenIndex, int?[] Rank, float?[] ClsSimilarity, int[]?[] Window, double?[] Top1Prob, double?[] JsdRegion,
        double?[] JsdGlobal, bool?[] Redundant, bool?[] Kept, float[]?[] Embedding, bool?[] BaselineLeadSkipped,
        bool?[] SkippedSingle, bool?[] SkippedWindow, bool?[] SkippedWindowCenterPadded, bool?[] SkippedGlobalWindowPadded);

    private static ImageResult HeaderOf(ColumnValues c, int row, string path) => new(
        c.ImageId[row] ?? throw new InvalidDataException($"{path}: image_id is null in row {row}"),
        ParseStatus(c.Status[row] ?? throw new InvalidDataException($"{path}: status is null in row {row}"), path),
        c.FailureReason[row],
        c.Grid[row] ?? throw new InvalidDataException($"{path}: grid is null in row {row}"),
        c.HiddenSize[row] ?? throw new InvalidDataException($"{path}: hidden_size is null in row {row}"),
        [],
        [])
    {
        BaselineLeadSkipped = c.BaselineLeadSkipped[row] ?? false,
    };

    /// <summary>An image whose rows are being collected while reading.</summary>
    private sealed class PendingImage(int index, ImageResult? header)
    {
        private readonly List<CandidateResult> _candidates = [];
        private readonly List<float> _kept = [];
        private bool _placeholder;

        public static PendingImage None => new(-1, null);

        public int Index => index;

        private ImageResult Header => header!;

        public void Add(ColumnValues c, int row, string path)
        {
            if (c.TokenIndex[row] is not { } token)
            {
                // The single row of an image without candidates.
                _placeholder = true;
                return;
            }

            string Missing(string column) => $"{path}: row {row} (image '{Header.ImageId}', token {token}): {column} is null";
            var measurement = new TokenExperimentResult(
                token,
                c.Rank[row] ?? throw new InvalidDataException(Missing("rank")),
                c.ClsSimilarity[row] ?? throw new InvalidDataException(Missing("cls_similarity")),
                c.Window[row] ?? throw new InvalidDataException(Missing("window")),
                c.Top1Prob[row] ?? throw new InvalidDataException(Missing("top1_prob")),
                c.JsdRegion[row] ?? throw new InvalidDataException(Missing("jsd_region")),
                c.JsdGlobal[row] ?? throw new InvalidDataException(Missing("jsd_global")),
                c.Redundant[row] ?? throw new InvalidDataException(Missing("redundant")))
            {
                LeadSkipped = new LeadSkips(c.SkippedSingle[row] ?? false, c.SkippedWindow[row] ?? false, c.SkippedWindowCenterPadded[row] ?? false, c.SkippedGlobalWindowPadded[row] ?? false),
            };
            var kept = c.Kept[row] ?? throw new InvalidDataException(Missing("kept"));
            var embedding = c.Embedding[row];
            if (kept != embedding is not null)
            {
                throw new InvalidDataException($"{path}: row {row} (image '{Header.ImageId}', token {token}): kept is {kept} but the embedding is {(embedding is null ? "null" : "present")}");
            }

            if (embedding is not null)
            {
                if (embedding.Length != Header.HiddenSize)
                {
                    throw new InvalidDataException($"{path}: row {row} (image '{Header.ImageId}', token {token}): embedding has {embedding.Length} values but hidden_size is {Header.HiddenSize}");
                }

                _kept.AddRange(embedding);
            }

            _candidates.Add(new CandidateResult(measurement, kept));
        }

        public void Complete(List<ImageResult> images, string path)
        {
            if (Index < 0)
            {
                return;
            }

            if (_placeholder && _candidates.Count > 0)
            {
                throw new InvalidDataException($"{path}: image '{Header.ImageId}' mixes a row without a candidate with candidate rows");
            }

            images.Add(Header with { Candidates = _candidates.ToArray(), KeptEmbeddings = _kept.ToArray() });
        }
    }

    /// <summary>The file's field for each column of <see cref="NewSchema"/>; null for an optional column the file lacks.</summary>
    private static DataField?[] FindFields(ParquetSchema schema, string path)
    {
        var expectedFields = NewSchema().Fields;
        var byName = schema.Fields.ToDictionary(f => f.Name);
        var missing = expectedFields.Take(FirstOptionalField).Select(f => f.Name).Where(n => !byName.ContainsKey(n)).ToArray();
        if (missing.Length > 0)
        {
            throw new InvalidDataException($"{path}: missing column(s) {string.Join(", ", missing)}");
        }

        return expectedFields.Select(expected =>
        {
            if (!byName.TryGetValue(expected.Name, out var found))
            {
                return null;
            }

            return (expected, found) switch
            {
                (DataField e, DataField d) when SameType(d, e) && !d.IsArray => d,
                (ListField { Item: DataField e }, ListField { Item: DataField d }) when SameType(d, e) => d,
                _ => throw new InvalidDataException($"{path}: column '{expected.Name}' has type {found}, expected {expected}"),
            };
        }).ToArray();
    }

    // Parquet.Net reports a string column read from a file as ReadOnlyMemory<char>.
    private static bool SameType(DataField found, DataField expected) =>
        Normalised(found.ClrType) == Normalised(expected.ClrType);

    private static Type Normalised(Type type) => type == typeof(ReadOnlyMemory<char>) ? typeof(string) : type;

    private static async Task<T?[]> ReadAsync<T>(ParquetRowGroupReader group, DataField field, int rows)
        where T : struct
    {
        if (field.MaxDefinitionLevel == 0)
        {
            var required = new T[rows];
            await group.ReadAsync<T>(field, required);
            return required.Select(v => (T?)v).ToArray();
        }

        var values = new T?[rows];
        await group.ReadAsync<T>(field, values);
        return values;
    }

    /// <summary>A column added within the format: all null when the file was written without it.</summary>
    private static async Task<T?[]> ReadOptionalAsync<T>(ParquetRowGroupReader group, DataField? field, int rows)
        where T : struct =>
        field is null ? new T?[rows] : await ReadAsync<T>(group, field, rows);

    private static async Task<string?[]> ReadStringsAsync(ParquetRowGroupReader group, DataField field, int rows)
    {
        var values = new string?[rows];
        await group.ReadAsync(field, values);
        return values;
    }

    /// <summary>Writes one list per row from Dremel levels: definition 0 a null list, 1 an empty one, 2 an element.</summary>
    private static async Task WriteListAsync<T>(ParquetRowGroupWriter group, DataField leaf, IReadOnlyList<T[]?> lists, CancellationToken cancellationToken)
        where T : struct
    {
        var element = leaf.MaxDefinitionLevel;
        var levels = lists.Sum(l => Math.Max(1, l?.Length ?? 0));
        var values = new T[lists.Sum(l => l?.Length ?? 0)];
        var definition = new int[levels];
        var repetition = new int[levels];
        var level = 0;
        var next = 0;
        foreach (var list in lists)
        {
            if (list is null || list.Length == 0)
            {
                definition[level++] = list is null ? element - 2 : element - 1;
                continue;
            }

            for (var j = 0; j < list.Length; j++)
            {
                definition[level] = element;
                repetition[level++] = j == 0 ? 0 : 1;
                values[next++] = list[j];
            }
        }

        await group.WriteAllPartsAsync<T>(leaf, values, definition, repetition, cancellationToken);
    }

    private static async Task<T[]?[]> ReadListAsync<T>(ParquetRowGroupReader group, DataField leaf, int rows, string path)
        where T : struct
    {
        var levels = checked((int)(group.GetMetadata(leaf)?.MetaData?.NumValues
            ?? throw new InvalidDataException($"{path}: column '{leaf.Path}' has no data in a row group")));
        var values = new T[levels];
        var definition = new int[levels];
        var repetition = new int[levels];
        await group.ReadRawAsync<T>(leaf, values, definition, repetition);

        var element = leaf.MaxDefinitionLevel;
        var lists = new T[]?[rows];
        var current = new List<T>();
        var row = -1;
        var next = 0;
        for (var i = 0; i < levels; i++)
        {
            if (repetition[i] == 0)
            {
                Close();
                if (++row >= rows)
                {
                    throw new InvalidDataException($"{path}: column '{leaf.Path}' holds more lists than the row group's {rows} rows");
                }

                current.Clear();
                lists[row] = definition[i] <= element - 2 ? null : [];
            }

            if (definition[i] == element)
            {
                current.Add(values[next++]);
            }
            else if (repetition[i] != 0)
            {
                throw new InvalidDataException($"{path}: column '{leaf.Path}' holds a null element in row {row}");
            }
        }

        Close();
        if (row != rows - 1)
        {
            throw new InvalidDataException($"{path}: column '{leaf.Path}' holds {row + 1} lists for {rows} rows");
        }

        return lists;

        void Close()
        {
            if (row >= 0 && lists[row] is not null)
            {
                lists[row] = current.ToArray();
            }
        }
    }
}
