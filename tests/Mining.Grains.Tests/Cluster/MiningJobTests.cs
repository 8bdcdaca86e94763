using Mining.Grains.Contracts;
using Mining.Kernels.Experiments;

namespace Mining.Grains.Tests.Cluster;

/// <summary>A job over the sample images, compared with the single-process run.</summary>
[Collection(ClusterCollection.Name)]
public sealed class MiningJobTests(ClusterFixture fixture)
{
    [Fact]
    public async Task A_job_writes_exactly_the_codebook_rows_of_the_single_process_run()
    {
        var status = await fixture.MainJobAsync();
        var (expected, _) = await fixture.ReferenceAsync();

        Assert.Equal(JobState.Completed, status.State);
        Assert.Equal(1, status.CodebookVersion);
        var actual = ClusterFixture.ReadCodebook(await ClusterFixture.ExportAsync(fixture.Client.GetGrain<ICodebookGrain>(ClusterFixture.MainJobId), 1));
        Assert.NotEmpty(expected.Entries);
        Assert.Equal(expected.Count, actual.Count);
        for (var row = 0; row < expected.Count; row++)
        {
            var (e, a) = (expected.Entries[row], actual.Entries[row]);
            Assert.Equal(e.PrototypeId, a.PrototypeId);
            CodebookRowAssert.EqualApartFromId(e, a);
        }
    }

    [Fact]
    public async Task The_codebook_metadata_records_the_model_parameters_version_and_job()
    {
        await fixture.MainJobAsync();
        var (expected, _) = await fixture.ReferenceAsync();

        var actual = ClusterFixture.ReadCodebook(await ClusterFixture.ExportAsync(fixture.Client.GetGrain<ICodebookGrain>(ClusterFixture.MainJobId), 1)).Metadata;
        Assert.Equal(expected.Metadata.Model, actual.Model);
        Assert.Equal(expected.Metadata.HiddenSize, actual.HiddenSize);
        Assert.Equal("llava", actual.Family);
        // The job's parameters are the single-process run's, all given explicitly, over the llava family's preset, which it records.
        Assert.Equal(MiningParameters.FromJson(expected.Metadata.ParametersJson) with { Preset = "llava-1.5-7b" }, MiningParameters.FromJson(actual.ParametersJson));
        Assert.Equal(1, actual.CodebookVersion);
        Assert.Equal([ClusterFixture.MainJobId], actual.JobIds);
    }

    [Fact]
    public async Task The_job_statistics_are_those_of_the_single_process_summary()
    {
        var status = await fixture.MainJobAsync();
        var (_, summary) = await fixture.ReferenceAsync();

        var statistics = status.Statistics!;
        Assert.Equal(summary.Candidates, statistics.Candidates);
        Assert.Equal(summary.Redundant, statistics.Redundant);
        Assert.Equal(summary.Kept, statistics.Kept);
        Assert.Equal(summary.PrototypeClustersKept, statistics.PrototypeClustersKept);
        Assert.Equal(summary.PrototypesBeforeDedup, statistics.PrototypesBeforeDedup);
        Assert.Equal(summary.PrototypesAfterDedup, statistics.PrototypesAfterDedup);
        Assert.Equal(summary.DedupThresholdChangedFraction, statistics.DedupThresholdChangedFraction);
        Assert.Equal(summary.DedupRatioChangedFraction, statistics.DedupRatioChangedFraction);
        Assert.Equal(summary.DedupImpactTokens, statistics.DedupImpactTokens);
        Assert.Equal(summary.VariantsScored, statistics.VariantsScored);
    }

    [Fact]
    public async Task A_corrupt_image_is_a_failure_with_its_reason_and_does_not_fail_its_shard()
    {
        var status = await fixture.MainJobAsync();

        Assert.Equal(JobState.Completed, status.State);
        Assert.Equal(6, status.Done);
        Assert.Equal(1, status.Failed);
        var shard = Assert.Single(status.Shards, s => s.Failed == 1);
        Assert.Equal(ShardState.Completed, shard.State);
        var failure = Assert.Single(shard.Failures);
        Assert.Equal("corrupt", failure.ImageId);
        Assert.False(string.IsNullOrWhiteSpace(failure.Reason));
    }

    [Fact]
    public async Task Every_image_is_mined_once_by_the_executors()
    {
        var status = await fixture.MainJobAsync();

        Assert.Equal(status.Images, fixture.ProcessedImages(ClusterFixture.MainJobId));
    }

    [Fact]
    public async Task No_executor_computed_on_an_orleans_scheduler_thread()
    {
        await fixture.MainJobAsync();

        Assert.All(fixture.Executors, executor => Assert.Equal(0, executor.Metrics.GuardViolations));
        Assert.True(fixture.Executors.Sum(executor => executor.Metrics.ImagesProcessed) > 0);
    }

    [Fact]
    public async Task The_job_and_its_codebook_are_registered()
    {
        await fixture.MainJobAsync();

        Assert.Contains(ClusterFixture.MainJobId, await fixture.Client.GetGrain<IRegistryGrain>(0).ListJobs());
        Assert.Contains(ClusterFixture.MainJobId, await fixture.Client.GetGrain<IRegistryGrain>(0).ListCodebooks());
    }
}
