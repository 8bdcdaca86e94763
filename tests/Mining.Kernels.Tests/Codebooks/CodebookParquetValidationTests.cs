using Mining.Probe.Codebooks;
using ParquetSharp;

namespace Mining.Kernels.Tests.Codebooks;

/// <summary>Codebook files written by another tool (Arrow, through ParquetSharp), some of them broken on purpose.</summary>
internal static class ForeignCodebook
{
    public static Dictionary<string, string> Pairs(int hidden) => new()
    {
        ["mining.format_version"] = "1",
        ["mining.model"] = "some/model",
        ["mining.hidden_size"] = hidden.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["mining.codebook_version"] = "1",
        ["mining.job_ids"] = "[]",
        ["mining.parameters"] = "{}",
        ["mining.created_utc"] = "2025-01-02T03:04:05Z",
    };

    /// <summary>Writes the given columns; a null argument leaves that column out.</summary>
    public static void Write(string path, IReadOnlyDictionary<string, string> pairs, int[]? ids, float[][]? embeddings, string[]? sources, bool withMembers = true)
    {
        var rows = ids?.Length ?? embeddings?.Length ?? sources?.Length ?? 0;
        var columns = new List<(Column Column, Action<ColumnWriter> Write)>();
        void Int(string name, int[] values) =>
            columns.Add((new Column<int>(name), w => { using var l = w.LogicalWriter<int>(); l.WriteBatch(values); }));

        if (ids is not null)
        {
            Int("prototype_id", ids);
        }

        if (embeddings is not null)
        {
            columns.Add((new Column<float[]>("embedding"), w => { using var l = w.LogicalWriter<float[]>(); l.WriteBatch(embeddings); }));
        }

        if (sources is not null)
        {
            columns.Add((new Column<string>("source_image_id"), w => { using var l = w.LogicalWriter<string>(); l.WriteBatch(sources); }));
        }

        Int("cluster_id", new int[rows]);
        Int("cluster_unique_images", new int[rows]);
        if (withMembers)
        {
            Int("members", Enumerable.Repeat(1, rows).ToArray());
        }

        using var writer = new ParquetFileWriter(path, columns.Select(c => c.Column).ToArray(), keyValueMetadata: pairs);
        using (var group = writer.AppendRowGroup())
        {
            foreach (var (_, write) in columns)
            {
                using var column = group.NextColumn();
                write(column);
            }
        }

        writer.Close();
    }
}

public sealed class CodebookParquetValidationTests
{
    private static readonly float[][] TwoByThree = [[1f, 2f, 3f], [4f, 5f, 6f]];

    private static string Folder => TestData.NewTempFolder();

    [Fact]
    public void A_missing_column_is_named()
    {
        var path = Path.Combine(Folder, "no-members.parquet");
        ForeignCodebook.Write(path, ForeignCodebook.Pairs(3), [0, 1], TwoByThree, ["a", "b"], withMembers: false);
        var e = Assert.Throws<InvalidDataException>(() => CodebookParquet.Read(path));
        Assert.Contains(path, e.Message);
        Assert.Contains("missing column(s) members", e.Message);
    }

    [Fact]
    public void A_missing_embedding_column_is_named()
    {
        var path = Path.Combine(Folder, "no-embedding.parquet");
        ForeignCodebook.Write(path, ForeignCodebook.Pairs(3), [0, 1], null, ["a", "b"]);
        var e = Assert.Throws<InvalidDataException>(() => CodebookParquet.Read(path));
        Assert.Contains("missing column(s) embedding", e.Message);
    }

    [Fact]
    public void Another_format_version_is_refused()
    {
        var path = Path.Combine(Folder, "v2.parquet");
        var pairs = ForeignCodebook.Pairs(3);
        pairs["mining.format_version"] = "2";
        ForeignCodebook.Write(path, pairs, [0, 1], TwoByThree, ["a", "b"]);
        var e = Assert.Throws<InvalidDataException>(() => CodebookParquet.Read(path));
        Assert.Contains(path, e.Message);
        Assert.Contains("mining.format_version is '2'", e.Message);
    }

    [Fact]
    public void A_parquet_file_without_mining_metadata_is_refused()
    {
        var path = Path.Combine(Folder, "plain.parquet");
        ForeignCodebook.Write(path, new Dictionary<string, string>(), [0, 1], TwoByThree, ["a", "b"]);
        var e = Assert.Throws<InvalidDataException>(() => CodebookParquet.Read(path));
        Assert.Contains("mining.format_version", e.Message);
        Assert.Contains("not a Mining codebook", e.Message);
    }

    [Fact]
    public void Embeddings_of_another_width_than_the_hidden_size_are_refused()
    {
        var path = Path.Combine(Folder, "wide.parquet");
        ForeignCodebook.Write(path, ForeignCodebook.Pairs(hidden: 4), [0, 1], TwoByThree, ["a", "b"]);
        var e = Assert.Throws<InvalidDataException>(() => CodebookParquet.Read(path));
        Assert.Contains(path, e.Message);
        Assert.Contains("row 0: embedding has 3 values but mining.hidden_size is 4", e.Message);
    }

    [Fact]
    public void Embeddings_of_inconsistent_lengths_are_refused_naming_the_row()
    {
        var path = Path.Combine(Folder, "ragged.parquet");
        ForeignCodebook.Write(path, ForeignCodebook.Pairs(3), [0, 1], [[1f, 2f, 3f], [4f, 5f]], ["a", "b"]);
        var e = Assert.Throws<InvalidDataException>(() => CodebookParquet.Read(path));
        Assert.Contains("row 1: embedding has 2 values", e.Message);
    }

    [Fact]
    public void A_null_source_image_id_is_refused()
    {
        var path = Path.Combine(Folder, "null-source.parquet");
        ForeignCodebook.Write(path, ForeignCodebook.Pairs(3), [0, 1], TwoByThree, ["a", null!]);
        var e = Assert.Throws<InvalidDataException>(() => CodebookParquet.Read(path));
        Assert.Contains("'source_image_id' is null in row 1", e.Message);
    }

    [Fact]
    public void A_null_embedding_is_refused()
    {
        var path = Path.Combine(Folder, "null-embedding.parquet");
        ForeignCodebook.Write(path, ForeignCodebook.Pairs(3), [0, 1], [[1f, 2f, 3f], null!], ["a", "b"]);
        var e = Assert.Throws<InvalidDataException>(() => CodebookParquet.Read(path));
        Assert.Contains("row 1: embedding is null", e.Message);
    }

    [Fact]
    public void A_hidden_size_that_is_not_a_number_is_refused()
    {
        var path = Path.Combine(Folder, "bad-hidden.parquet");
        var pairs = ForeignCodebook.Pairs(3);
        pairs["mining.hidden_size"] = "four thousand";
        ForeignCodebook.Write(path, pairs, [0, 1], TwoByThree, ["a", "b"]);
        var e = Assert.Throws<InvalidDataException>(() => CodebookParquet.Read(path));
        Assert.Contains("mining.hidden_size must be an integer", e.Message);
    }

    [Fact]
    public void Duplicate_prototype_ids_in_a_file_are_refused()
    {
        var path = Path.Combine(Folder, "dup.parquet");
        ForeignCodebook.Write(path, ForeignCodebook.Pairs(3), [5, 5], TwoByThree, ["a", "b"]);
        var e = Assert.Throws<InvalidDataException>(() => CodebookParquet.Read(path));
        Assert.Contains("prototype_id 5 occurs 2 times", e.Message);
    }
}
