using System.Text;

namespace Mining.Kernels.Datasets;

/// <summary>Reads a CSV manifest: a header row naming <c>image_id</c> and <c>path</c> columns, then one image per row.</summary>
/// <remarks>
/// Fields follow RFC 4180: a field that starts with a double quote runs to the next lone quote and may hold
/// commas, line breaks and doubled quotes (<c>""</c>). Header names match case-insensitively; other columns are
/// ignored; blank lines are skipped; image ids and paths are trimmed of surrounding whitespace.
/// </remarks>
internal static class CsvManifest
{
    private const string ImageIdColumn = "image_id";
    private const string PathColumn = "path";

    /// <summary>The entries of the manifest <paramref name="file"/>, in file order.</summary>
    public static IReadOnlyList<ManifestEntry> Read(string file, TextReader reader)
    {
        using var records = Records(file, reader).GetEnumerator();
        if (!records.MoveNext())
        {
            throw new DatasetException(file, null, $"the manifest is empty: expected a header row naming the {ImageIdColumn} and {PathColumn} columns");
        }

        var header = records.Current;
        var idColumn = ColumnIndex(file, header, ImageIdColumn);
        var pathColumn = ColumnIndex(file, header, PathColumn);

        var entries = new List<ManifestEntry>();
        while (records.MoveNext())
        {
            var record = records.Current;
            entries.Add(new ManifestEntry(
                Field(file, record, idColumn, ImageIdColumn),
                Field(file, record, pathColumn, PathColumn),
                record.Line));
        }

        if (entries.Count == 0)
        {
            throw new DatasetException(file, null, "the manifest lists no images: it has a header row but no rows after it");
        }

        return entries;
    }

    private static int ColumnIndex(string file, CsvRecord header, string column)
    {
        var matches = Enumerable.Range(0, header.Fields.Count)
            .Where(i => string.Equals(header.Fields[i].Trim(), column, StringComparison.OrdinalIgnoreCase))
            .ToList();
        return matches.Count switch
        {
            1 => matches[0],
            0 => throw new DatasetException(file, header.Line, $"the header has no '{column}' column (columns: {string.Join(", ", header.Fields.Select(f => $"'{f.Trim()}'"))})"),
            _ => throw new DatasetException(file, header.Line, $"the header names the '{column}' column {matches.Count} times"),
        };
    }

    private static string Field(string file, CsvRecord record, int index, string column)
    {
        if (index >= record.Fields.Count)
        {
            throw new DatasetException(file, record.Line, $"missing {column}: the row has {record.Fields.Count} fields but {column} is column {index + 1}");
        }

        var value = record.Fields[index].Trim();
        if (value.Length == 0)
        {
            throw new DatasetException(file, record.Line, $"empty {column}");
        }

        return value;
    }

    /// <summary>The non-blank records of the file, each with the line it starts on.</summary>
    private static IEnumerable<CsvRecord> Records(string file, TextReader reader)
    {
        var fields = new List<string>();
        var field = new StringBuilder();
        var line = 1;
        var recordLine = 1;
        var anyQuoted = false;
        var inQuotes = false;
        var afterClosingQuote = false;
        var quoteLine = 0;

        int next;
        while ((next = reader.Read()) >= 0)
        {
            var c = (char)next;
            if (inQuotes)
            {
                if (c == '"')
                {
                    if (reader.Peek() == '"')
                    {
                        reader.Read();
                        field.Append('"');
                    }
                    else
                    {
                        inQuotes = false;
                        afterClosingQuote = true;
                    }
                }
                else
                {
                    // A line break inside quotes is part of the field but still advances the line count.
                    if (c == '\n' || (c == '\r' && reader.Peek() != '\n'))
                    {
                        line++;
                    }

                    field.Append(c);
                }

                continue;
            }

            if (c == ',')
            {
                fields.Add(field.ToString());
                field.Clear();
                afterClosingQuote = false;
            }
            else if (c == '\r' || c == '\n')
            {
                if (c == '\r' && reader.Peek() == '\n')
                {
                    reader.Read();
                }

                fields.Add(field.ToString());
                if (!IsBlank(fields, anyQuoted))
                {
                    yield return new CsvRecord(recordLine, fields);
                }

                fields = [];
                field.Clear();
                anyQuoted = false;
                afterClosingQuote = false;
                line++;
                recordLine = line;
            }
            else if (afterClosingQuote)
            {
                if (!char.IsWhiteSpace(c))
                {
                    throw new DatasetException(file, line, $"unexpected '{c}' after the closing quote of a field (a quote inside a quoted field is written \"\")");
                }
            }
            else if (c == '"' && string.IsNullOrWhiteSpace(field.ToString()))
            {
                field.Clear();
                inQuotes = true;
                anyQuoted = true;
                quoteLine = line;
            }
            else
            {
                field.Append(c);
            }
        }

        if (inQuotes)
        {
            throw new DatasetException(file, quoteLine, "a quoted field is never closed");
        }

        fields.Add(field.ToString());
        if (!IsBlank(fields, anyQuoted))
        {
            yield return new CsvRecord(recordLine, fields);
        }
    }

    private static bool IsBlank(List<string> fields, bool anyQuoted) =>
        !anyQuoted && fields.Count == 1 && string.IsNullOrWhiteSpace(fields[0]);

    private sealed record CsvRecord(int Line, IReadOnlyList<string> Fields);
}
