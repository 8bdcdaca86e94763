using Mining.Kernels.Experiments;
using Mining.Kernels.Imaging;
using Mining.Probe.Codebooks;
using ParquetSharp;

namespace Mining.Kernels.Tests.Pipeline;

/// <summary>What a completed mining run writes and reports, checked against its inputs and against the model run separately.</summary>
public sealed class MiningRunTests(MiningRunFixture fixture) : IClassFixture<MiningRunFixture>
{
    /// <summary>The fixture checkpoint's grid is 6×6 (README: 84 px images, 14 px patches).</summary>
    private const int FixtureGrid = 6;

    private const int FixtureHidden = 64;

    public static TheoryData<string> BadImageIds => new(MiningRunFixture.BadImages.Keys);

    private CompletedRun[] Runs => [fixture.First, fixture.FromManifest];

    [Fact]
    public void The_codebook_file_holds_as_many_prototypes_as_the_summary_reports_after_dedup()
    {
        var run = fixture.First;

        Assert.Equal(Path.GetFullPath(run.CodebookPath), run.Summary.Codebook);
        Assert.NotEqual(0, run.Summary.PrototypesAfterDedup);
        Assert.Equal(run.Summary.PrototypesAfterDedup, run.Codebook.Count);
        Assert.Equal(Enumerable.Range(0, run.Codebook.Count), run.Codebook.Entries.Select(e => e.PrototypeId));
    }

    [Fact]
    public void The_codebook_records_the_model_id_hidden_size_format_version_and_parameters()
    {
        var run = fixture.First;
        using var file = new ParquetFileReader(run.CodebookPath);
        var pairs = file.FileMetaData.KeyValueMetadata;

        Assert.Equal("1", pairs[CodebookFormat.FormatVersionKey]);
        Assert.Equal(MiningRunFixture.ModelId, run.Codebook.Metadata.Model);
        Assert.Equal(FixtureHidden, run.Codebook.Metadata.HiddenSize);
        Assert.Equal(MiningRunFixture.Parameters.ToJson(), run.Codebook.Metadata.ParametersJson);
        Assert.Equal(MiningRunFixture.Parameters, MiningParameters.FromJson(run.Codebook.Metadata.ParametersJson));
    }

    [Fact]
    public void Two_runs_on_the_same_inputs_write_identical_codebooks()
    {
        var (first, second) = (fixture.First.Codebook, fixture.Second.Codebook);

        Assert.Equal(first.Metadata.ParametersJson, second.Metadata.ParametersJson);
        Assert.Equal(first.Count, second.Count);
        for (var i = 0; i < first.Count; i++)
        {
            var (a, b) = (first.Entries[i], second.Entries[i]);
            Assert.Equal((a.PrototypeId, a.SourceImageId, a.ClusterId, a.ClusterUniqueImages, a.Members), (b.PrototypeId, b.SourceImageId, b.ClusterId, b.ClusterUniqueImages, b.Members));
            Assert.Equal(Bits(a.Embedding), Bits(b.Embedding));
        }
    }

    [Theory]
    [MemberData(nameof(BadImageIds))]
    public void An_unreadable_file_fails_its_image_with_the_reason_in_the_results_and_the_summary(string imageId)
    {
        var run = fixture.First;
        var path = run.Dataset.Images.Single(i => i.ImageId == imageId).Path;

        var result = Assert.Single(run.Results, r => r.ImageId == imageId);
        Assert.Equal(ImageStatus.Failed, result.Status);
        Assert.Contains(path, result.FailureReason);
        Assert.Contains(MiningRunFixture.BadImages[imageId], result.FailureReason);
        Assert.Empty(result.Candidates);

        var failure = Assert.Single(run.Summary.Failures, f => f.ImageId == imageId);
        Assert.Equal(result.FailureReason, failure.Reason);
    }

    [Fact]
    public void The_images_beside_unreadable_files_are_mined()
    {
        var run = fixture.First;
        var good = MiningRunFixture.GoodImages.Select(Path.GetFileNameWithoutExtension).Order(StringComparer.Ordinal).ToArray();

        Assert.Equal(good.Length + MiningRunFixture.BadImages.Count, run.Results.Count);
        Assert.Equal(good, run.Results.Where(r => r.Status == ImageStatus.Ok).Select(r => r.ImageId));
        Assert.Equal((run.Results.Count, good.Length, MiningRunFixture.BadImages.Count), (run.Summary.Images, run.Summary.ImagesOk, run.Summary.ImagesFailed));
        Assert.Equal(MiningRunFixture.BadImages.Keys.Order(StringComparer.Ordinal), run.Summary.Failures.Select(f => f.ImageId).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void A_manifest_entry_whose_file_is_missing_fails_that_image_and_the_others_are_mined()
    {
        var run = fixture.FromManifest;

        Assert.Equal(["coins", MiningRunFixture.MissingImageId, "rocket"], run.Results.Select(r => r.ImageId));
        Assert.Equal([ImageStatus.Ok, ImageStatus.Failed, ImageStatus.Ok], run.Results.Select(r => r.Status));
        Assert.Contains("does-not-exist.png", run.Results[1].FailureReason);
        Assert.Contains("file not found", run.Results[1].FailureReason);
        var failure = Assert.Single(run.Summary.Failures);
        Assert.Equal(MiningRunFixture.MissingImageId, failure.ImageId);
        Assert.Equal((3, 2, 1), (run.Summary.Images, run.Summary.ImagesOk, run.Summary.ImagesFailed));
    }

    [Fact]
    public void The_summary_counts_agree_with_the_per_image_results()
    {
        foreach (var run in Runs)
        {
            var ok = run.Results.Where(r => r.Status == ImageStatus.Ok).ToArray();
            Assert.Equal(ok.Sum(r => r.Candidates.Count), run.Summary.Candidates);
            Assert.Equal(ok.Sum(r => r.Candidates.Count(c => c.Measurement.Redundant)), run.Summary.Redundant);
            Assert.Equal(ok.Sum(r => r.KeptCount), run.Summary.Kept);
        }
    }

    [Fact]
    public void Kept_candidates_are_redundant()
    {
        var candidates = Runs.SelectMany(run => run.Results).SelectMany(r => r.Candidates).ToArray();

        Assert.Contains(candidates, c => c.KeptByImageFilter);
        Assert.Contains(candidates, c => !c.Measurement.Redundant);
        Assert.All(candidates.Where(c => c.KeptByImageFilter), c => Assert.True(c.Measurement.Redundant, $"token {c.Measurement.TokenIndex} is kept but not redundant"));
    }

    [Fact]
    public void Kept_embeddings_are_the_visual_tokens_of_the_kept_candidates()
    {
        var preprocessor = new ImagePreprocessor(fixture.Runtime.Preprocessor, ImageAspect.Crop);
        var compared = 0;
        foreach (var run in Runs)
        {
            foreach (var result in run.Results.Where(r => r.Status == ImageStatus.Ok))
            {
                var path = run.Dataset.Images.Single(i => i.ImageId == result.ImageId).Path;
                using var encoded = fixture.Runtime.Encode(preprocessor.Preprocess(ImageDecoder.Decode(path)).PixelValues);
                var tokens = encoded.VisualTokensToArray();
                var expected = result.Candidates
                    .Where(c => c.KeptByImageFilter)
                    .SelectMany(c => tokens.AsSpan(c.Measurement.TokenIndex * FixtureHidden, FixtureHidden).ToArray())
                    .ToArray();

                Assert.Equal(FixtureHidden, result.HiddenSize);
                Assert.Equal(Bits(expected), Bits(result.KeptEmbeddings));
                compared += result.KeptCount;
            }
        }

        Assert.NotEqual(0, compared);
    }

    [Fact]
    public void Every_token_is_a_candidate_when_all_tokens_are_asked_for()
    {
        foreach (var result in fixture.First.Results.Where(r => r.Status == ImageStatus.Ok))
        {
            Assert.Equal(FixtureGrid, result.Grid);
            Assert.Equal(Enumerable.Range(0, FixtureGrid * FixtureGrid), result.Candidates.Select(c => c.Measurement.TokenIndex).Order());
            Assert.Equal(Enumerable.Range(1, FixtureGrid * FixtureGrid), result.Candidates.Select(c => c.Measurement.Rank).Order());
        }
    }

    [Fact]
    public void Reference_candidates_are_the_reference_bands_scaled_to_the_grid()
    {
        // The bands of CandidateSelection scaled from 576 to 36 ranks by hand: band [s, e] → ranks ⌊(s−1)/16⌋+1 … ⌈e/16⌉,
        // e.g. [1, 24] → 1…2, [37, 44] → 3…3, [73, 80] → 5…5, [569, 576] → 36…36.
        int[] expected = [1, 2, 3, 5, 10, 14, 19, 23, 28, 32, 36];
        var ok = fixture.FromManifest.Results.Where(r => r.Status == ImageStatus.Ok).ToArray();

        Assert.NotEmpty(ok);
        Assert.All(ok, result =>
        {
            Assert.Equal(CandidateSelection.Ranks(FixtureGrid * FixtureGrid, CandidateMode.Reference).Length, result.Candidates.Count);
            Assert.Equal(expected, result.Candidates.Select(c => c.Measurement.Rank).Order());
        });
    }

    [Fact]
    public void Every_prototype_is_a_kept_token_of_its_source_image()
    {
        var run = fixture.First;
        var kept = run.Results.ToDictionary(r => r.ImageId, r => Rows(r.KeptEmbeddings, r.KeptCount));

        Assert.NotEmpty(run.Codebook.Entries);
        Assert.All(run.Codebook.Entries, entry =>
            Assert.Contains(kept[entry.SourceImageId], row => Bits(row).SequenceEqual(Bits(entry.Embedding))));
    }

    [Fact]
    public void Every_prototype_comes_from_a_cluster_spanning_more_than_min_unique_images()
    {
        var run = fixture.First;

        Assert.NotEmpty(run.Codebook.Entries);
        Assert.All(run.Codebook.Entries, entry =>
        {
            Assert.True(entry.ClusterUniqueImages > MiningRunFixture.Parameters.MinUniqueImages, $"prototype {entry.PrototypeId}: cluster spans {entry.ClusterUniqueImages} images");
            Assert.True(entry.ClusterUniqueImages <= run.Summary.ImagesOk, $"prototype {entry.PrototypeId}: cluster spans {entry.ClusterUniqueImages} images of {run.Summary.ImagesOk}");
        });
    }

    private static int[] Bits(float[] values) => values.Select(BitConverter.SingleToInt32Bits).ToArray();

    private static float[][] Rows(float[] values, int count) =>
        Enumerable.Range(0, count).Select(r => values.AsSpan(r * FixtureHidden, FixtureHidden).ToArray()).ToArray();
}
