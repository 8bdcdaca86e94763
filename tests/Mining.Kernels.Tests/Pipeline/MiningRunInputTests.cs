using Mining.Kernels.Checkpoints;
using Mining.Kernels.Datasets;
using Mining.Kernels.Experiments;
using Mining.Kernels.Pipeline;
using Mining.Testing;

namespace Mining.Kernels.Tests.Pipeline;

/// <summary>A run refuses bad input, or stops when cancelled, before it mines anything, and then writes nothing.</summary>
public sealed class MiningRunInputTests
{
    private static ImageDataset OneImage()
    {
        var path = Path.Combine(TestData.Samples, "coins.png");
        return new ImageDataset(path, [new DatasetImage("coins", path)]);
    }

    [Fact]
    public void Invalid_parameters_are_refused_and_nothing_is_written()
    {
        var output = TestData.NewTempFolder();
        var progress = new RecordingProgress();
        var options = MiningRunFixture.Options(OneImage(), CandidateMode.All, output, MiningRunFixture.Parameters with { JsdThres = -1 });

        var e = Assert.Throws<MiningParameterException>(() => MiningRun.Run(options, progress, TestContext.Current.CancellationToken));

        Assert.Equal("--jsd-thres", e.Option);
        Assert.Empty(progress.Reports);
        Assert.Empty(Directory.EnumerateFileSystemEntries(output));
    }

    [Fact]
    public void A_missing_model_directory_raises_a_checkpoint_exception_naming_it_and_nothing_is_written()
    {
        var output = TestData.NewTempFolder();
        var model = Path.Combine(TestData.NewTempFolder(), "no-such-model");
        var progress = new RecordingProgress();
        var options = MiningRunFixture.Options(OneImage(), CandidateMode.All, output, modelDirectory: model);

        var e = Assert.Throws<CheckpointException>(() => MiningRun.Run(options, progress, TestContext.Current.CancellationToken));

        Assert.Contains(model, e.Message);
        Assert.Empty(progress.Reports);
        Assert.Empty(Directory.EnumerateFileSystemEntries(output));
    }

    [Fact]
    public void A_missing_codebook_folder_is_refused_before_any_image_and_nothing_is_written()
    {
        var results = TestData.NewTempFolder();
        var missing = Path.Combine(TestData.NewTempFolder(), "missing");
        var progress = new RecordingProgress();
        var options = MiningRunFixture.Options(OneImage(), CandidateMode.All, results) with { OutputPath = Path.Combine(missing, "codebook.parquet") };

        var e = Assert.Throws<DirectoryNotFoundException>(() => MiningRun.Run(options, progress, TestContext.Current.CancellationToken));

        Assert.Contains(missing, e.Message);
        Assert.Contains("does not exist", e.Message);
        Assert.Empty(progress.Reports);
        Assert.False(Directory.Exists(missing));
        Assert.Empty(Directory.EnumerateFileSystemEntries(results));
    }

    [Fact]
    public void A_missing_results_folder_is_refused_before_any_image_and_no_codebook_is_written()
    {
        var output = TestData.NewTempFolder();
        var missing = Path.Combine(TestData.NewTempFolder(), "missing");
        var progress = new RecordingProgress();
        var options = MiningRunFixture.Options(OneImage(), CandidateMode.All, output) with { ResultsPath = Path.Combine(missing, "images.parquet") };

        var e = Assert.Throws<DirectoryNotFoundException>(() => MiningRun.Run(options, progress, TestContext.Current.CancellationToken));

        Assert.Contains(missing, e.Message);
        Assert.Empty(progress.Reports);
        Assert.False(Directory.Exists(missing));
        Assert.Empty(Directory.EnumerateFileSystemEntries(output));
    }

    [Fact]
    public void A_codebook_path_that_is_a_folder_is_refused_before_any_image()
    {
        var output = TestData.NewTempFolder();
        var folder = Directory.CreateDirectory(Path.Combine(output, "codebook.parquet")).FullName;
        var progress = new RecordingProgress();
        var options = MiningRunFixture.Options(OneImage(), CandidateMode.All, output);

        var e = Assert.Throws<ArgumentException>(() => MiningRun.Run(options, progress, TestContext.Current.CancellationToken));

        Assert.Contains(folder, e.Message);
        Assert.Empty(progress.Reports);
        Assert.Equal([folder], Directory.EnumerateFileSystemEntries(output));
        Assert.Empty(Directory.EnumerateFileSystemEntries(folder));
    }

    [Fact]
    public void Results_and_codebook_at_the_same_path_are_refused_before_any_image()
    {
        var output = TestData.NewTempFolder();
        var progress = new RecordingProgress();
        var options = MiningRunFixture.Options(OneImage(), CandidateMode.All, output);
        options = options with { ResultsPath = Path.Combine(output, ".", "codebook.parquet") };

        var e = Assert.Throws<ArgumentException>(() => MiningRun.Run(options, progress, TestContext.Current.CancellationToken));

        Assert.Contains(Path.GetFullPath(options.OutputPath), e.Message);
        Assert.Empty(progress.Reports);
        Assert.Empty(Directory.EnumerateFileSystemEntries(output));
    }

    [Fact]
    public void A_run_cancelled_before_the_first_image_throws_and_writes_nothing()
    {
        var output = TestData.NewTempFolder();
        var progress = new RecordingProgress();
        var options = MiningRunFixture.Options(OneImage(), CandidateMode.All, output);
        using var cancellation = new CancellationTokenSource();
        cancellation.Cancel();

        Assert.ThrowsAny<OperationCanceledException>(() => MiningRun.Run(options, progress, cancellation.Token));

        Assert.Empty(progress.Reports);
        Assert.Empty(Directory.EnumerateFileSystemEntries(output));
    }
}
