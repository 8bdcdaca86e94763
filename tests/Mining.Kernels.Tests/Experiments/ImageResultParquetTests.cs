using Mining.Kernels.Experiments;
using Mining.Probe.Codebooks;
using ParquetSharp;

namespace Mining.Kernels.Tests.Experiments;

public sealed class ImageResultParquetTests
{
    private const int Hidden = 3;

    private static CandidateResult Candidate(int token, int rank, bool kept, bool redundant = true) => new(
        new TokenExperimentResult(token, rank, 0.25f + token / 64f, TokenWindow.Around(token, 4), 0.01 * rank, 1e-4 * token, 2.5e-5 / rank, redundant),
        kept);

    /// <summary>An image with two kept tokens of three, a failed image, and an image with candidates but none kept.</summary>
    private static ImageResult[] Sample() =>
    [
        new ImageResult("coco/000001.jpg", ImageStatus.Ok, null, 4, Hidden,
            [Candidate(5, 1, kept: true), Candidate(0, 2, kept: false, redundant: false), Candidate(15, 16, kept: true)],
            [1f, 2f, 3f, -4f, 5.5f, float.Epsilon]),
        ImageResult.Failure("coco/broken.jpg", "cannot decode: truncated JPEG"),
        new ImageResult("coco/000002.jpg", ImageStatus.Ok, null, 4, Hidden,
            [Candidate(9, 3, kept: false), Candidate(10, 4, kept: false)],
            []),
    ];

    private static void AssertSame(ImageResult expected, ImageResult actual)
    {
        Assert.Equal((expected.ImageId, expected.Status, expected.FailureReason, expected.Grid, expected.HiddenSize),
            (actual.ImageId, actual.Status, actual.FailureReason, actual.Grid, actual.HiddenSize));
        Assert.Equal(expected.KeptEmbeddings, actual.KeptEmbeddings);
        Assert.Equal(expected.Candidates.Count, actual.Candidates.Count);
        for (var i = 0; i < expected.Candidates.Count; i++)
        {
            var (e, a) = (expected.Candidates[i], actual.Candidates[i]);
            Assert.Equal(e.KeptByImageFilter, a.KeptByImageFilter);
            Assert.Equal(e.Measurement.Window, a.Measurement.Window);
            Assert.Equal(e.Measurement with { Window = [] }, a.Measurement with { Window = [] });
        }
    }

    [Fact]
    public void Results_read_back_equal_including_a_failed_image_and_one_with_nothing_kept()
    {
        var path = Path.Combine(TestData.NewTempFolder(), "results.parquet");
        var written = Sample();
        ImageResultParquet.Write(written, path);

        var read = ImageResultParquet.Read(path);

        Assert.Equal(written.Length, read.Count);
        for (var i = 0; i < written.Length; i++)
        {
            AssertSame(written[i], read[i]);
        }

        Assert.Equal("cannot decode: truncated JPEG", read[1].FailureReason);
        Assert.Empty(read[1].Candidates);
        Assert.Equal(0, read[2].KeptCount);
        Assert.Empty(read[2].KeptEmbeddings);
    }

    [Fact]
    public void Lead_skip_flags_of_the_baseline_and_each_variant_read_back_equal()
    {
        var path = Path.Combine(TestData.NewTempFolder(), "skips.parquet");
        var sample = Sample();
        var candidates = sample[0].Candidates.Select((c, i) => c with
        {
            Measurement = c.Measurement with { LeadSkipped = new LeadSkips(i == 0, i == 1, i != 1, i == 2) },
        }).ToArray();
        ImageResult[] written = [sample[0] with { Candidates = candidates, BaselineLeadSkipped = true }, sample[1], sample[2]];
        ImageResultParquet.Write(written, path);

        var read = ImageResultParquet.Read(path);

        Assert.Equal([true, false, false], read.Select(r => r.BaselineLeadSkipped));
        Assert.Equal(candidates.Select(c => c.Measurement.LeadSkipped), read[0].Candidates.Select(c => c.Measurement.LeadSkipped));
        Assert.All(read[2].Candidates, c => Assert.False(c.Measurement.LeadSkipped.Any));
    }

    [Fact]
    public void An_empty_list_of_results_round_trips()
    {
        var path = Path.Combine(TestData.NewTempFolder(), "none.parquet");
        ImageResultParquet.Write([], path);
        Assert.Empty(ImageResultParquet.Read(path));
    }

    [Fact]
    public void Repeated_image_ids_stay_separate_images()
    {
        var path = Path.Combine(TestData.NewTempFolder(), "twice.parquet");
        var failure = ImageResult.Failure("same.jpg", "first try");
        ImageResultParquet.Write([failure, failure with { FailureReason = "second try" }], path);
        Assert.Equal(["first try", "second try"], ImageResultParquet.Read(path).Select(r => r.FailureReason));
    }

    [Fact]
    public void Each_candidate_is_one_row_with_its_embedding_only_when_kept()
    {
        // Read with Arrow's C++ reader: the layout is what DuckDB or pyarrow would see.
        var path = Path.Combine(TestData.NewTempFolder(), "results.parquet");
        ImageResultParquet.Write(Sample(), path);

        using var file = new ParquetFileReader(path);
        Assert.Equal("1", file.FileMetaData.KeyValueMetadata["mining.image_results_format_version"]);
        using var group = file.RowGroup(0);
        var rows = checked((int)group.MetaData.NumRows);
        Assert.Equal(3 + 1 + 2, rows);

        var schema = file.FileMetaData.Schema;
        int Column(string dotted) => Enumerable.Range(0, schema.NumColumns).Single(i => schema.Column(i).Path.ToDotString() == dotted);
        using var ids = group.Column(Column("image_id")).LogicalReader<string>();
        using var tokens = group.Column(Column("token_index")).LogicalReader<int?>();
        using var kept = group.Column(Column("kept")).LogicalReader<bool?>();
        using var embeddings = group.Column(Column("embedding.list.element")).LogicalReader<float[]?>();

        Assert.Equal(["coco/000001.jpg", "coco/000001.jpg", "coco/000001.jpg", "coco/broken.jpg", "coco/000002.jpg", "coco/000002.jpg"], ids.ReadAll(rows));
        Assert.Equal([5, 0, 15, null, 9, 10], tokens.ReadAll(rows));
        Assert.Equal([true, false, true, null, false, false], kept.ReadAll(rows));
        var readEmbeddings = embeddings.ReadAll(rows);
        Assert.Equal([1f, 2f, 3f], readEmbeddings[0]!);
        Assert.Null(readEmbeddings[1]);
        Assert.Equal([-4f, 5.5f, float.Epsilon], readEmbeddings[2]!);
        Assert.All(readEmbeddings[3..], Assert.Null);
    }

    [Fact]
    public void Kept_embeddings_of_the_wrong_size_are_refused_naming_the_image()
    {
        var image = Sample()[0] with { KeptEmbeddings = [1f, 2f] };
        var e = Assert.Throws<ArgumentException>(() => ImageResultParquet.Write([image], Path.Combine(TestData.NewTempFolder(), "x.parquet")));
        Assert.Contains("coco/000001.jpg", e.Message);
        Assert.Contains("expected 2 kept tokens × hidden size 3 = 6", e.Message);
    }

    [Fact]
    public void A_codebook_file_is_not_taken_for_image_results()
    {
        var path = Path.Combine(TestData.NewTempFolder(), "codebook.parquet");
        CodebookParquet.Write(Codebooks.CodebookParquetTests.SmallCodebook(), path);
        var e = Assert.Throws<InvalidDataException>(() => ImageResultParquet.Read(path));
        Assert.Contains(path, e.Message);
        Assert.Contains("mining.image_results_format_version", e.Message);
    }
}
