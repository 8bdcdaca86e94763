using Mining.Probe.Codebooks;

namespace Mining.Client.Tests.Commands;

/// <summary>
/// <c>mining mine</c> over the three fixture images plus a truncated PNG, an empty file and a text file named .jpg:
/// the three broken files fail one by one and the run goes on.
/// </summary>
public sealed class MineFailedImageTests
{
    [Fact]
    public void The_run_exits_0_and_writes_the_codebook()
    {
        var run = MineRuns.WithBrokenImages;
        Assert.True(run.Result.ExitCode == 0, run.Result.Describe());
        Assert.NotEmpty(CodebookParquet.Read(run.Codebook).Entries);
    }

    [Fact]
    public void Summary_counts_three_images_ok_and_three_failed()
    {
        using var summary = MineRuns.WithBrokenImages.Summary();
        Assert.Equal(6, summary.RootElement.GetProperty("images").GetInt32());
        Assert.Equal(3, summary.RootElement.GetProperty("images_ok").GetInt32());
        Assert.Equal(3, summary.RootElement.GetProperty("images_failed").GetInt32());
    }

    [Fact]
    public void Summary_failures_name_each_broken_file_with_a_reason_naming_its_path()
    {
        using var summary = MineRuns.WithBrokenImages.Summary();
        var failures = summary.RootElement.GetProperty("failures").EnumerateArray()
            .Select(f => (Id: f.GetProperty("image_id").GetString()!, Reason: f.GetProperty("reason").GetString()!))
            .OrderBy(f => f.Id, StringComparer.Ordinal)
            .ToArray();

        // A folder's image ids are the file names without extension.
        Assert.Equal(MineRuns.BrokenFiles.Select(Path.GetFileNameWithoutExtension), failures.Select(f => f.Id));
        Assert.All(failures.Zip(MineRuns.BrokenFiles), pair =>
        {
            Assert.Contains(pair.Second, pair.First.Reason, StringComparison.Ordinal);
            Assert.Contains("cannot decode", pair.First.Reason, StringComparison.Ordinal);
        });
    }

    [Fact]
    public void Broken_images_add_nothing_the_codebook_equals_the_one_from_the_good_images_alone()
    {
        var clean = MineRuns.Clean;
        var broken = MineRuns.WithBrokenImages;
        Assert.True(clean.Result.ExitCode == 0, clean.Result.Describe());
        Assert.True(broken.Result.ExitCode == 0, broken.Result.Describe());
        var expected = CodebookParquet.Read(clean.Codebook).Entries;
        var actual = CodebookParquet.Read(broken.Codebook).Entries;
        Assert.Equal(expected.Count, actual.Count);
        Assert.All(expected.Zip(actual), pair =>
        {
            Assert.Equal(pair.First.SourceImageId, pair.Second.SourceImageId);
            Assert.Equal(pair.First.Embedding, pair.Second.Embedding);
        });
    }
}
