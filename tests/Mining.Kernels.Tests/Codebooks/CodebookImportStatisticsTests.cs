using Mining.Kernels.Codebooks;
using Mining.Probe.Codebooks;

namespace Mining.Kernels.Tests.Codebooks;

public sealed class CodebookImportStatisticsTests
{
    [Fact]
    public void Norm_statistics_of_a_hand_made_codebook_are_the_hand_computed_ones()
    {
        // Norms: |(3,4)| = 5, |(0,0)| = 0, |(6,8)| = 10 → min 0, mean 5, max 10.
        var metadata = new CodebookMetadata("m", 2, 3, ["j"], "{}", DateTimeOffset.UnixEpoch);
        var codebook = new Codebook(metadata,
        [
            new CodebookEntry(0, [3f, 4f], "a", 0, 1, 1),
            new CodebookEntry(1, [0f, 0f], "b", 0, 1, 1),
            new CodebookEntry(2, [6f, -8f], "a", 1, 1, 2),
        ]);

        var statistics = CodebookStatistics.Of(codebook);

        Assert.Equal((3, 2, "1", "m", 3, 2), (statistics.Rows, statistics.HiddenSize, statistics.FormatVersion, statistics.Model, statistics.CodebookVersion, statistics.SourceImages));
        Assert.Equal((0.0, 5.0, 10.0), (statistics.MinNorm, statistics.MeanNorm, statistics.MaxNorm));
        Assert.Equal("{}", statistics.ParametersJson);
    }

    [Fact]
    public void Statistics_of_the_released_codebook_match_a_plain_loop_over_the_npy()
    {
        var codebook = CodebookImport.FromNpy(CodebookImportTests.ReferenceNpy, CodebookImportTests.ReferenceIds, "llava-hf/llava-1.5-7b-hf");
        var norms = codebook.Entries.Select(e => Math.Sqrt(e.Embedding.Sum(v => (double)v * v))).ToArray();

        var statistics = CodebookStatistics.Of(codebook);

        Assert.Equal(454, statistics.Rows);
        Assert.Equal(4096, statistics.HiddenSize);
        Assert.Equal(norms.Min(), statistics.MinNorm, 1e-9);
        Assert.Equal(norms.Average(), statistics.MeanNorm, 1e-9);
        Assert.Equal(norms.Max(), statistics.MaxNorm, 1e-9);
        Assert.True(statistics.MinNorm > 0);
    }

    [Fact]
    public void An_empty_codebook_reports_zero_norms()
    {
        var codebook = new Codebook(new CodebookMetadata("m", 4, 1, [], "{}", DateTimeOffset.UnixEpoch), []);
        var statistics = CodebookStatistics.Of(codebook);
        Assert.Equal((0, 0.0, 0.0, 0.0), (statistics.Rows, statistics.MinNorm, statistics.MeanNorm, statistics.MaxNorm));
    }
}
