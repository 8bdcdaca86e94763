using Mining.Probe.Codebooks;
using ParquetSharp.Schema;
using ParquetSharp;

namespace Mining.Kernels.Tests.Codebooks;

/// <summary>Our files read by Apache Arrow's C++ Parquet reader (through ParquetSharp), and the other way round.</summary>
public sealed class CodebookParquetInteropTests
{
    private static string WrittenSmallCodebook()
    {
        var path = Path.Combine(TestData.NewTempFolder(), "cb.parquet");
        CodebookParquet.Write(CodebookParquetTests.SmallCodebook(), path);
        return path;
    }

    [Fact]
    public void Arrow_sees_the_six_format_v1_columns_with_their_physical_types()
    {
        using var file = new ParquetFileReader(WrittenSmallCodebook());
        var schema = file.FileMetaData.Schema;
        var columns = Enumerable.Range(0, schema.NumColumns).Select(i => schema.Column(i)).ToArray();

        Assert.Equal(
            ["prototype_id", "embedding.list.element", "source_image_id", "cluster_id", "cluster_unique_images", "members"],
            columns.Select(c => c.Path.ToDotString()));
        Assert.Equal(
            [PhysicalType.Int32, PhysicalType.Float, PhysicalType.ByteArray, PhysicalType.Int32, PhysicalType.Int32, PhysicalType.Int32],
            columns.Select(c => c.PhysicalType));
        Assert.IsType<StringLogicalType>(columns[2].LogicalType);
        Assert.All(columns.Where((_, i) => i != 1), c => Assert.Equal(Repetition.Required, c.SchemaNode.Repetition));
    }

    [Fact]
    public void The_embedding_column_uses_the_standard_three_level_list_layout()
    {
        using var file = new ParquetFileReader(WrittenSmallCodebook());
        var root = file.FileMetaData.Schema.GroupNode;
        var embedding = Assert.IsType<GroupNode>(root.Fields[root.FieldIndex("embedding")]);
        Assert.IsType<ListLogicalType>(embedding.LogicalType);

        var list = Assert.IsType<GroupNode>(Assert.Single(embedding.Fields));
        Assert.Equal("list", list.Name);
        Assert.Equal(Repetition.Repeated, list.Repetition);

        var element = Assert.IsType<PrimitiveNode>(Assert.Single(list.Fields));
        Assert.Equal("element", element.Name);
        Assert.Equal(Repetition.Required, element.Repetition);
        Assert.Equal(PhysicalType.Float, element.PhysicalType);
    }

    [Fact]
    public void Arrow_reads_the_mining_key_value_metadata()
    {
        using var file = new ParquetFileReader(WrittenSmallCodebook());
        var pairs = file.FileMetaData.KeyValueMetadata;

        Assert.Equal("1", pairs["mining.format_version"]);
        Assert.Equal("llava-hf/llava-1.5-7b-hf", pairs["mining.model"]);
        Assert.Equal("5", pairs["mining.hidden_size"]);
        Assert.Equal("4", pairs["mining.codebook_version"]);
        Assert.Equal("""["job-a","job-b"]""", pairs["mining.job_ids"]);
        Assert.Equal("""{"top1_thres":0.15,"jsd_thres":0.002}""", pairs["mining.parameters"]);
        Assert.Equal("2025-03-14T15:09:26.5350000Z", pairs["mining.created_utc"]);
    }

    [Fact]
    public void Arrow_reads_the_values_we_wrote()
    {
        var expected = CodebookParquetTests.SmallCodebook();
        using var file = new ParquetFileReader(WrittenSmallCodebook());
        using var group = file.RowGroup(0);
        var rows = checked((int)group.MetaData.NumRows);
        Assert.Equal(expected.Count, rows);

        using var ids = group.Column(0).LogicalReader<int>();
        using var embeddings = group.Column(1).LogicalReader<float[]>();
        using var sources = group.Column(2).LogicalReader<string>();
        using var members = group.Column(5).LogicalReader<int>();
        var readIds = ids.ReadAll(rows);
        var readEmbeddings = embeddings.ReadAll(rows);
        var readSources = sources.ReadAll(rows);
        var readMembers = members.ReadAll(rows);

        for (var i = 0; i < rows; i++)
        {
            Assert.Equal(expected.Entries[i].PrototypeId, readIds[i]);
            Assert.Equal(expected.Entries[i].Embedding, readEmbeddings[i]);
            Assert.Equal(expected.Entries[i].SourceImageId, readSources[i]);
            Assert.Equal(expected.Entries[i].Members, readMembers[i]);
        }
    }

    [Fact]
    public void Arrow_reads_every_value_and_key_of_the_exported_released_codebook()
    {
        var expected = Probe.ReferenceProbeData.Value.Codebook;
        using var file = new ParquetFileReader(Probe.ReferenceProbeData.Value.Exported);
        Assert.Equal(CodebookFormat.Pairs(expected.Metadata), file.FileMetaData.KeyValueMetadata);
        Assert.Equal(1, file.FileMetaData.NumRowGroups);

        using var group = file.RowGroup(0);
        var rows = checked((int)group.MetaData.NumRows);
        Assert.Equal(454, rows);
        int[] Ints(int column)
        {
            using var reader = group.Column(column).LogicalReader<int>();
            return reader.ReadAll(rows);
        }

        using var embeddings = group.Column(1).LogicalReader<float[]>();
        using var sources = group.Column(2).LogicalReader<string>();
        var readEmbeddings = embeddings.ReadAll(rows);
        var readSources = sources.ReadAll(rows);

        Assert.Equal(expected.Entries.Select(e => e.PrototypeId), Ints(0));
        Assert.Equal(expected.Entries.Select(e => e.SourceImageId), readSources);
        Assert.Equal(expected.Entries.Select(e => e.ClusterId), Ints(3));
        Assert.Equal(expected.Entries.Select(e => e.ClusterUniqueImages), Ints(4));
        Assert.Equal(expected.Entries.Select(e => e.Members), Ints(5));
        for (var i = 0; i < rows; i++)
        {
            // Bit patterns, so that even a −0 turned into +0 would show.
            Assert.Equal(expected.Entries[i].Embedding.Select(BitConverter.SingleToInt32Bits), readEmbeddings[i].Select(BitConverter.SingleToInt32Bits));
        }
    }

    [Fact]
    public void A_codebook_written_by_arrow_with_optional_columns_reads_back()
    {
        // Arrow's defaults, like pyarrow's: nullable strings and an "item"-named list element.
        var path = Path.Combine(TestData.NewTempFolder(), "arrow.parquet");
        var embeddings = new[] { new[] { 1f, 2f, 3f }, new[] { -1f, 0.5f, 0f } };
        ForeignCodebook.Write(path, ForeignCodebook.Pairs(hidden: 3), ids: [7, 8], embeddings: embeddings, sources: ["a", "b"]);

        var codebook = CodebookParquet.Read(path);

        Assert.Equal(3, codebook.Metadata.HiddenSize);
        Assert.Equal([7, 8], codebook.Entries.Select(e => e.PrototypeId));
        Assert.Equal(embeddings, codebook.Entries.Select(e => e.Embedding));
        Assert.Equal(["a", "b"], codebook.Entries.Select(e => e.SourceImageId));
    }
}
