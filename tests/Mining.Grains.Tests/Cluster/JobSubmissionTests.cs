using Mining.Grains.Contracts;
using Mining.Kernels.Imaging;

namespace Mining.Grains.Tests.Cluster;

/// <summary>Submitting is idempotent per job id, and a bad spec is refused before any work.</summary>
[Collection(ClusterCollection.Name)]
public sealed class JobSubmissionTests(ClusterFixture fixture)
{
    [Fact]
    public async Task Submitting_the_same_job_again_returns_its_status_and_mines_nothing_more()
    {
        const string jobId = "idempotent";
        var spec = ClusterFixture.Spec(jobId, fixture.TwoImages, jobId);
        var first = await fixture.RunToEndAsync(spec);
        var processed = fixture.ProcessedImages(jobId);

        var again = await fixture.Job(jobId).Submit(spec);

        Assert.Equal(JobState.Completed, first.State);
        Assert.Equal(JobState.Completed, again.State);
        Assert.Equal(first.CodebookVersion, again.CodebookVersion);
        Assert.Equal(2, processed);
        Assert.Equal(processed, fixture.ProcessedImages(jobId));
        Assert.Single(await fixture.Client.GetGrain<ICodebookGrain>(jobId).GetVersions());
    }

    [Fact]
    public async Task The_same_job_id_with_another_spec_is_refused_naming_what_differs()
    {
        const string jobId = "conflict";
        var spec = ClusterFixture.Spec(jobId, fixture.TwoImages, jobId);
        await fixture.RunToEndAsync(spec);

        var error = await Assert.ThrowsAsync<ArgumentException>(() => fixture.Job(jobId).Submit(spec with { ImagesPerShard = 1 }));

        Assert.Contains("JobId", error.Message, StringComparison.Ordinal);
        Assert.Contains("ImagesPerShard", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Model")]
    [InlineData("Images")]
    [InlineData("ParametersJson")]
    [InlineData("CodebookName")]
    [InlineData("ImagesPerShard")]
    [InlineData("ImageAspect")]
    [InlineData("Preset")]
    public async Task An_invalid_spec_is_refused_naming_the_field_before_any_shard_starts(string field)
    {
        var jobId = $"invalid-{field}";
        var valid = ClusterFixture.Spec(jobId, fixture.TwoImages, jobId);
        var missing = Path.Combine(TestData.NewTempFolder(), "missing");
        var spec = field switch
        {
            "Model" => valid with { Model = missing },
            "Images" => valid with { Images = missing },
            "ParametersJson" => valid with { ParametersJson = """{"top1_thres": 2}""" },
            "CodebookName" => valid with { CodebookName = "" },
            "ImagesPerShard" => valid with { ImagesPerShard = 0 },
            "ImageAspect" => valid with { ImageAspect = (ImageAspect)7 },
            "Preset" => valid with { Preset = "llava-2" },
            _ => throw new ArgumentOutOfRangeException(nameof(field)),
        };

        var error = await Assert.ThrowsAsync<ArgumentException>(() => fixture.Job(jobId).Submit(spec));

        Assert.StartsWith($"{field}:", error.Message, StringComparison.Ordinal);
        Assert.Equal(JobState.None, (await fixture.Job(jobId).GetStatus()).State);
        Assert.Equal(ShardState.None, (await fixture.Shard(jobId, 0).GetStatus()).State);
        Assert.Equal(0, fixture.ProcessedImages(jobId));
    }

    [Fact]
    public async Task A_refused_spec_can_be_corrected_under_the_same_job_id()
    {
        const string jobId = "corrected";
        var valid = ClusterFixture.Spec(jobId, fixture.TwoImages, jobId);
        await Assert.ThrowsAsync<ArgumentException>(() => fixture.Job(jobId).Submit(valid with { ImagesPerShard = 0 }));

        var status = await fixture.Job(jobId).Submit(valid);

        Assert.Equal(JobState.Running, status.State);
        Assert.Equal(JobState.Completed, (await fixture.WaitForJobAsync(jobId, s => s.State != JobState.Running && s.State != JobState.Assembling)).State);
    }
}
