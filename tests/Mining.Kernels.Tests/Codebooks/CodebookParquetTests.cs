using Mining.Probe.Codebooks;
using ParquetSharp;

namespace Mining.Kernels.Tests.Codebooks;

public sealed class CodebookParquetTests
{
    internal static Codebook SmallCodebook(int rows = 3, int hidden = 5)
    {
        var entries = Enumerable.Range(0, rows)
            .Select(i => new CodebookEntry(
                PrototypeId: 10 + i,
                Embedding: Enumerable.Range(0, hidden).Select(j => (i + 1) * 0.5f - j * 0.125f).ToArray(),
                SourceImageId: $"img-{i % 2}",
                ClusterId: i * 3,
                ClusterUniqueImages: 70 + i,
                Members: 1 + i))
            .ToArray();
        var metadata = new CodebookMetadata(
            "llava-hf/llava-1.5-7b-hf", hidden, 4, ["job-a", "job-b"], """{"top1_thres":0.15,"jsd_thres":0.002}""",
            new DateTimeOffset(2025, 3, 14, 15, 9, 26, 535, TimeSpan.Zero));
        return new Codebook(metadata, entries);
    }

    [Fact]
    public void A_written_codebook_reads_back_equal()
    {
        var path = Path.Combine(TestData.NewTempFolder(), "cb.parquet");
        var original = SmallCodebook();
        CodebookParquet.Write(original, path);

        var back = CodebookParquet.Read(path);

        Assert.Equal(original.Metadata.Model, back.Metadata.Model);
        Assert.Equal(original.Metadata.HiddenSize, back.Metadata.HiddenSize);
        Assert.Equal(original.Metadata.CodebookVersion, back.Metadata.CodebookVersion);
        Assert.Equal(original.Metadata.JobIds, back.Metadata.JobIds);
        Assert.Equal(original.Metadata.ParametersJson, back.Metadata.ParametersJson);
        Assert.Equal(original.Metadata.CreatedUtc, back.Metadata.CreatedUtc);
        Assert.Equal(original.Count, back.Count);
        for (var i = 0; i < original.Count; i++)
        {
            var (a, b) = (original.Entries[i], back.Entries[i]);
            Assert.Equal(a.Embedding, b.Embedding);
            Assert.Equal(a with { Embedding = [] }, b with { Embedding = [] });
        }
    }

    [Fact]
    public void An_empty_codebook_round_trips()
    {
        var path = Path.Combine(TestData.NewTempFolder(), "empty.parquet");
        CodebookParquet.Write(SmallCodebook(rows: 0), path);
        var back = CodebookParquet.Read(path);
        Assert.Equal(0, back.Count);
        Assert.Equal(5, back.Metadata.HiddenSize);
    }

    [Fact]
    public void Created_time_is_written_as_iso_8601_utc()
    {
        var path = Path.Combine(TestData.NewTempFolder(), "cb.parquet");
        var codebook = SmallCodebook();
        var local = new DateTimeOffset(2025, 3, 14, 17, 9, 26, TimeSpan.FromHours(2));
        CodebookParquet.Write(codebook with { Metadata = codebook.Metadata with { CreatedUtc = local } }, path);

        using var file = new ParquetFileReader(path);
        Assert.Equal("2025-03-14T15:09:26.0000000Z", file.FileMetaData.KeyValueMetadata[CodebookFormat.CreatedUtcKey]);
    }

    [Fact]
    public void Writing_replaces_an_existing_file_and_leaves_no_temporary_file()
    {
        var folder = TestData.NewTempFolder();
        var path = Path.Combine(folder, "cb.parquet");
        File.WriteAllText(path, "old contents");
        CodebookParquet.Write(SmallCodebook(), path);
        Assert.Equal(3, CodebookParquet.Read(path).Count);
        Assert.Equal(["cb.parquet"], Directory.GetFiles(folder).Select(Path.GetFileName));
    }

    [Fact]
    public void A_failed_write_leaves_the_old_file_and_no_partial_output()
    {
        var folder = TestData.NewTempFolder();
        var path = Path.Combine(folder, "cb.parquet");
        File.WriteAllText(path, "old contents");
        var codebook = SmallCodebook();
        // The second entry's embedding is too short: detected before or while writing.
        var broken = codebook with { Entries = [codebook.Entries[0], codebook.Entries[1] with { Embedding = [1f] }] };

        var e = Assert.Throws<ArgumentException>(() => CodebookParquet.Write(broken, path));

        Assert.Contains("prototype 11", e.Message);
        Assert.Equal("old contents", File.ReadAllText(path));
        Assert.Equal(["cb.parquet"], Directory.GetFiles(folder).Select(Path.GetFileName));
    }

    [Fact]
    public async Task A_write_cancelled_midway_leaves_the_old_file_and_no_temporary_file()
    {
        var folder = TestData.NewTempFolder();
        var path = Path.Combine(folder, "cb.parquet");
        File.WriteAllText(path, "old contents");
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => CodebookParquet.WriteAsync(SmallCodebook(), path, cancelled.Token));

        Assert.Equal("old contents", File.ReadAllText(path));
        Assert.Equal(["cb.parquet"], Directory.GetFiles(folder).Select(Path.GetFileName));
    }

    [Fact]
    public void Duplicate_prototype_ids_are_refused_on_write()
    {
        var codebook = SmallCodebook();
        var twice = codebook with { Entries = [codebook.Entries[0], codebook.Entries[0]] };
        var e = Assert.Throws<ArgumentException>(() => CodebookParquet.Write(twice, Path.Combine(TestData.NewTempFolder(), "x.parquet")));
        Assert.Contains("prototype id 10", e.Message);
    }

    [Fact]
    public void Parameters_that_are_not_a_json_object_are_refused_on_write()
    {
        var codebook = SmallCodebook();
        var bad = codebook with { Metadata = codebook.Metadata with { ParametersJson = "top1=0.15" } };
        var e = Assert.Throws<ArgumentException>(() => CodebookParquet.Write(bad, Path.Combine(TestData.NewTempFolder(), "x.parquet")));
        Assert.Contains("ParametersJson", e.Message);
    }

    [Fact]
    public void A_file_that_is_not_parquet_is_refused_with_its_name()
    {
        var path = Path.Combine(TestData.NewTempFolder(), "notes.parquet");
        File.WriteAllText(path, "these are not the bytes you are looking for");
        var e = Assert.Throws<InvalidDataException>(() => CodebookParquet.Read(path));
        Assert.Contains(path, e.Message);
    }

    [Fact]
    public void A_missing_file_is_reported_with_its_path()
    {
        var path = Path.Combine(TestData.NewTempFolder(), "absent.parquet");
        var e = Assert.Throws<FileNotFoundException>(() => CodebookParquet.Read(path));
        Assert.Contains(path, e.Message);
    }
}
