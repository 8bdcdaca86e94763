using System.Text.Json;
using Mining.Kernels.Experiments;
using Mining.Probe.Codebooks;

namespace Mining.Client.Tests.Cluster;

/// <summary>
/// <c>mining mine</c> as a job on embedded silos: one silo and three give the same codebook and per-image results,
/// and both are what the single-process run writes.
/// </summary>
public sealed class LocalSilosMineTests
{
    [Fact]
    public void Mine_exits_0_on_one_and_on_three_local_silos()
    {
        Assert.True(MiningRuns.OnOneSilo.Run.ExitCode == 0, MiningRuns.OnOneSilo.Run.Describe());
        Assert.True(MiningRuns.OnThreeSilos.Run.ExitCode == 0, MiningRuns.OnThreeSilos.Run.Describe());
    }

    [Fact]
    public void One_and_three_local_silos_write_identical_codebook_rows()
    {
        var one = CodebookParquet.Read(MiningRuns.OnOneSilo.Codebook);
        var three = CodebookParquet.Read(MiningRuns.OnThreeSilos.Codebook);
        Assert.NotEmpty(one.Entries);
        AssertSameRows(one, three);
    }

    [Fact]
    public void The_cluster_codebook_has_the_rows_of_the_single_process_run()
    {
        AssertSameRows(CodebookParquet.Read(MiningRuns.InProcess.Codebook), CodebookParquet.Read(MiningRuns.OnOneSilo.Codebook));
    }

    [Fact]
    public void One_and_three_local_silos_write_identical_per_image_results_in_dataset_order()
    {
        var one = ImageResultParquet.Read(MiningRuns.OnOneSilo.Results);
        var three = ImageResultParquet.Read(MiningRuns.OnThreeSilos.Results);
        var single = ImageResultParquet.Read(MiningRuns.InProcess.Results);
        Assert.Equal(single.Select(r => r.ImageId), one.Select(r => r.ImageId));
        AssertSameResults(one, three);
        AssertSameResults(single, one);
    }

    [Fact]
    public void The_summary_counts_are_the_single_process_ones()
    {
        var expected = MiningRuns.InProcess.Summary;
        foreach (var run in new[] { MiningRuns.OnOneSilo, MiningRuns.OnThreeSilos })
        {
            Assert.True(run.Run.ExitCode == 0, run.Run.Describe());
            var summary = JsonDocument.Parse(run.Run.Stdout).RootElement;
            Assert.Equal(expected.Images, summary.GetProperty("images").GetInt32());
            Assert.Equal(expected.ImagesOk, summary.GetProperty("images_ok").GetInt32());
            Assert.Equal(expected.ImagesFailed, summary.GetProperty("images_failed").GetInt32());
            Assert.Equal(expected.Candidates, summary.GetProperty("candidates").GetInt32());
            Assert.Equal(expected.Redundant, summary.GetProperty("redundant").GetInt32());
            Assert.Equal(expected.Kept, summary.GetProperty("kept").GetInt32());
            Assert.Equal(expected.PrototypeClustersKept, summary.GetProperty("prototype_clusters_kept").GetInt32());
            Assert.Equal(expected.PrototypesAfterDedup, summary.GetProperty("prototypes_after_dedup").GetInt32());
            Assert.Equal(expected.VariantsScored, summary.GetProperty("variants_scored").GetInt64());
        }
    }

    [Fact]
    public void The_corrupt_file_is_a_failed_image_named_in_the_summary()
    {
        var summary = JsonDocument.Parse(MiningRuns.OnThreeSilos.Run.Stdout).RootElement;
        Assert.Equal(MiningRuns.GoodImages.Length + 1, summary.GetProperty("images").GetInt32());
        var failure = Assert.Single(summary.GetProperty("failures").EnumerateArray());
        Assert.Equal(MiningRuns.CorruptImageId, failure.GetProperty("image_id").GetString());
    }

    [Fact]
    public void The_progress_goes_to_stderr_and_stdout_holds_only_the_json_summary()
    {
        var run = MiningRuns.OnOneSilo.Run;
        Assert.Contains("images, ", run.Stderr, StringComparison.Ordinal); // "[####...] 3/5 images, 0 failed, ..."
        Assert.Contains("on an embedded cluster of 1 silo", run.Stderr, StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.Object, JsonDocument.Parse(run.Stdout).RootElement.ValueKind);
    }

    private static void AssertSameRows(Codebook expected, Codebook actual)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            var (e, a) = (expected.Entries[i], actual.Entries[i]);
            Assert.Equal((e.PrototypeId, e.SourceImageId, e.ClusterId, e.ClusterUniqueImages, e.Members), (a.PrototypeId, a.SourceImageId, a.ClusterId, a.ClusterUniqueImages, a.Members));
            Assert.Equal(e.Embedding, a.Embedding);
        }
    }

    private static void AssertSameResults(IReadOnlyList<ImageResult> expected, IReadOnlyList<ImageResult> actual)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            var (e, a) = (expected[i], actual[i]);
            Assert.Equal((e.ImageId, e.Status, e.FailureReason, e.Grid, e.HiddenSize), (a.ImageId, a.Status, a.FailureReason, a.Grid, a.HiddenSize));
            Assert.Equal(e.Candidates.Select(c => (c.Measurement.TokenIndex, c.Measurement.Top1Prob, c.Measurement.JsdRegion, c.Measurement.JsdGlobal, c.Measurement.Redundant, c.KeptByImageFilter)),
                a.Candidates.Select(c => (c.Measurement.TokenIndex, c.Measurement.Top1Prob, c.Measurement.JsdRegion, c.Measurement.JsdGlobal, c.Measurement.Redundant, c.KeptByImageFilter)));
            Assert.Equal(e.KeptEmbeddings, a.KeptEmbeddings);
        }
    }
}
