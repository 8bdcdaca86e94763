using Mining.Probe.Codebooks;
using Mining.Probe.Pruning;

namespace Mining.Kernels.Tests.Probe;

/// <summary>
/// The released LLaVA-1.5-7B codebook, imported, exported to Parquet v1 and read back: the probe's keep sets against
/// a plain double-precision loop written in this test (<see cref="ReferenceProbeData"/>), for 576 tokens (one
/// LLaVA-1.5 image) and 2880 (five), in both modes.
/// </summary>
public sealed class ReferenceCodebookProbeTests(ITestOutputHelper output)
{
    private const double Tau = 0.45;
    private const double Ratio = 0.25;

    /// <summary>float32 scoring against the double loop differs by far less than this; no decision may hinge on a smaller gap.</summary>
    private const double Margin = 1e-5;

    private static ReferenceProbeData Data => ReferenceProbeData.Value;

    private static PrototypeProbe Probe => LazyProbe.Value;

    private static readonly Lazy<PrototypeProbe> LazyProbe = new(() =>
        PrototypeProbe.FromCodebook(Data.Codebook, new CodebookRequirement(ReferenceProbeData.Model, ReferenceProbeData.Hidden)));

    public static TheoryData<int> TokenCounts => new() { 576, 2880 };

    [Fact]
    public void The_exported_codebook_reads_back_with_every_prototype_of_the_npy()
    {
        Assert.Equal(ReferenceProbeData.Rows, Data.Codebook.Count);
        Assert.Equal(ReferenceProbeData.Hidden, Data.Codebook.Metadata.HiddenSize);
        Assert.Equal(ReferenceProbeData.Model, Data.Codebook.Metadata.Model);
        Assert.Equal("1", Data.Codebook.Metadata.FormatVersion);
    }

    [Theory]
    [MemberData(nameof(TokenCounts))]
    public void Scores_equal_the_plain_double_loop_within_1e6(int n)
    {
        var scores = new float[n];
        Probe.MaxSimilarity(Data.Tokens.AsSpan(0, n * ReferenceProbeData.Hidden), n, scores);
        var worst = Enumerable.Range(0, n).Max(i => Math.Abs(scores[i] - Data.PlainScores[i]));
        output.WriteLine($"max |s_probe - s_loop| = {worst:E2} over {n} tokens");
        Assert.True(worst <= 1e-6, $"largest difference {worst}");
    }

    [Theory]
    [MemberData(nameof(TokenCounts))]
    public void Threshold_mode_keeps_the_tokens_the_plain_loop_scores_below_0_45(int n)
    {
        var plain = Data.PlainScores[..n];
        var expected = Enumerable.Range(0, n).Where(i => plain[i] < Tau).ToArray();
        Assert.InRange(expected.Length, n / 10, n - (n / 10)); // both decisions occur often
        Assert.DoesNotContain(plain, s => Math.Abs(s - Tau) <= Margin);

        var kept = Probe.Select(Data.Tokens.AsSpan(0, n * ReferenceProbeData.Hidden), n, KeepRule.Threshold(Tau));

        Assert.Equal(expected, kept);
    }

    [Theory]
    [MemberData(nameof(TokenCounts))]
    public void Ratio_mode_keeps_the_quarter_the_plain_loop_scores_lowest_in_original_order(int n)
    {
        var plain = Data.PlainScores[..n];
        var order = Enumerable.Range(0, n).OrderBy(i => plain[i]).ThenBy(i => i).ToArray();
        var keep = (int)Math.Round(n * Ratio, MidpointRounding.ToEven);
        Assert.Equal(n / 4, keep);
        Assert.True(plain[order[keep]] - plain[order[keep - 1]] > Margin, "the last kept and first pruned token are too close to call in float32");
        var expected = order[..keep].Order().ToArray();

        var kept = Probe.Select(Data.Tokens.AsSpan(0, n * ReferenceProbeData.Hidden), n, KeepRule.Ratio(Ratio));

        Assert.Equal(expected, kept);
    }

    [Fact]
    public void A_batch_of_five_images_keeps_per_image_what_the_plain_loop_keeps_for_each()
    {
        const int perImage = 576;
        var kept = Probe.SelectBatch(Data.Tokens, [perImage, perImage, perImage, perImage, perImage], KeepRule.Ratio(Ratio));

        Assert.Equal(5, kept.Length);
        for (var image = 0; image < 5; image++)
        {
            var plain = Data.PlainScores[(image * perImage)..((image + 1) * perImage)];
            var expected = Enumerable.Range(0, perImage).OrderBy(i => plain[i]).ThenBy(i => i).Take(144).Order().ToArray();
            Assert.Equal(expected, kept[image]);
        }
    }

    [Fact]
    public void Reading_the_export_by_path_gives_the_codebook_read_from_its_stream()
    {
        var byPath = CodebookParquet.Read(Data.Exported);
        Assert.Equal(Data.Codebook.Metadata, byPath.Metadata);
        Assert.Equal(Data.Codebook.Entries.Select(e => e.Embedding), byPath.Entries.Select(e => e.Embedding));
        Assert.Equal(Data.Codebook.Entries.Select(e => e.SourceImageId), byPath.Entries.Select(e => e.SourceImageId));
    }

    [Fact]
    public async Task A_stream_that_cannot_seek_is_read_too()
    {
        var bytes = await File.ReadAllBytesAsync(Data.Exported, TestContext.Current.CancellationToken);
        await using var stream = new ForwardOnlyStream(bytes);
        var codebook = await CodebookParquet.ReadAsync(stream, "forward-only", TestContext.Current.CancellationToken);
        Assert.Equal(Data.Codebook.Entries.Select(e => e.Embedding), codebook.Entries.Select(e => e.Embedding));
    }

    /// <summary>A stream that reads forward only, as an HTTP response body does.</summary>
    private sealed class ForwardOnlyStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;

        public override long Seek(long offset, SeekOrigin loc) => throw new NotSupportedException();
    }
}
