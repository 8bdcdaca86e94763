using Mining.Grains.Artifacts;
using Mining.Grains.Contracts;
using Mining.Kernels.Experiments;

namespace Mining.Grains.Tests.Cluster;

/// <summary>Shards survive deactivation, cancellation and executor faults without losing or recomputing an image.</summary>
[Collection(ClusterCollection.Name)]
public sealed class ShardRecoveryTests(ClusterFixture fixture)
{
    [Fact]
    public async Task A_shard_deactivated_mid_job_resumes_without_recomputing_or_skipping_an_image()
    {
        const string jobId = "reactivation";
        var hold = fixture.Faults.Hold(jobId, "camera");
        await fixture.Job(jobId).Submit(ClusterFixture.Spec(jobId, fixture.Images, jobId, imagesPerShard: 3));
        await hold.Entered;

        // Orleans lets the tick with the image in hand finish, then deactivates; the job's next poll reactivates it.
        var deactivated = fixture.Cluster.DeactivateAsync(fixture.Shard(jobId, 0));
        hold.Release();
        await deactivated;
        var status = await fixture.WaitForJobAsync(jobId, s => s.State is JobState.Completed or JobState.Failed);

        Assert.Equal(JobState.Completed, status.State);
        Assert.Equal(6, status.Done);
        Assert.Equal(6, fixture.ProcessedImages(jobId));
        var stored = await StoredIndices(jobId);
        Assert.Equal(new[] { 0, 1, 2, 3, 4, 5 }, stored);
    }

    [Fact]
    public async Task A_result_already_in_the_store_is_counted_without_mining_its_image()
    {
        // What an activation that stored brick's result but died before counting it leaves behind.
        const string jobId = "prestored";
        var path = Path.Combine(fixture.ArtifactRoot, ArtifactKeys.ImageResult(jobId, 0).Replace('/', Path.DirectorySeparatorChar));
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        ImageResultParquet.Write([ImageResult.Failure("brick", "stored by an earlier activation")], path);

        var status = await fixture.RunToEndAsync(ClusterFixture.Spec(jobId, fixture.TwoImages, jobId));

        Assert.Equal(JobState.Completed, status.State);
        Assert.Equal(2, status.Done);
        Assert.Equal(1, fixture.ProcessedImages(jobId));
        var failure = Assert.Single(Assert.Single(status.Shards).Failures);
        Assert.Equal(("brick", "stored by an earlier activation"), (failure.ImageId, failure.Reason));
    }

    [Fact]
    public async Task Cancel_stops_after_the_image_in_hand_leaving_a_result_for_every_image_counted_done()
    {
        const string jobId = "cancel";
        var hold = fixture.Faults.Hold(jobId, "camera");
        await fixture.Job(jobId).Submit(ClusterFixture.Spec(jobId, fixture.Images, jobId, imagesPerShard: 6));
        await hold.Entered;

        var cancelling = fixture.Job(jobId).Cancel();
        await ClusterFixture.WaitForAsync(async () => (await fixture.Shard(jobId, 0).GetStatus()).State == ShardState.Cancelled, "the shard to see the cancel");
        hold.Release();
        var status = await cancelling;

        Assert.Equal(JobState.Cancelled, status.State);
        Assert.Equal(2, status.Done);
        Assert.Equal(status.Done, (await StoredIndices(jobId)).Length);
        Assert.Equal(2, fixture.ProcessedImages(jobId));
    }

    [Fact]
    public async Task Resume_completes_a_cancelled_job_without_recomputing_stored_images()
    {
        const string jobId = "resume";
        var hold = fixture.Faults.Hold(jobId, "chelsea");
        await fixture.Job(jobId).Submit(ClusterFixture.Spec(jobId, fixture.Images, jobId, imagesPerShard: 6));
        await hold.Entered;
        var cancelling = fixture.Job(jobId).Cancel();
        await ClusterFixture.WaitForAsync(async () => (await fixture.Shard(jobId, 0).GetStatus()).State == ShardState.Cancelled, "the shard to see the cancel");
        hold.Release();
        var cancelled = await cancelling;

        await fixture.Job(jobId).Resume();
        var status = await fixture.WaitForJobAsync(jobId, s => s.State is JobState.Completed or JobState.Failed);

        Assert.Equal(3, cancelled.Done);
        Assert.Equal(JobState.Completed, status.State);
        Assert.Equal(6, status.Done);
        Assert.Equal(6, fixture.ProcessedImages(jobId));
        Assert.Equal(new[] { 0, 1, 2, 3, 4, 5 }, await StoredIndices(jobId));
    }

    [Fact]
    public async Task An_executor_fault_is_retried_and_the_job_completes_with_every_image()
    {
        const string jobId = "fault-retried";
        fixture.Faults.FailTimes(jobId, "camera", 2);

        var status = await fixture.RunToEndAsync(ClusterFixture.Spec(jobId, fixture.TwoImages, jobId));

        Assert.Equal(JobState.Completed, status.State);
        Assert.Equal(2, status.Done);
        Assert.Equal(0, status.Failed);
        Assert.Equal(2, Assert.Single(status.Shards).Attempts);
        Assert.Equal(2, fixture.ProcessedImages(jobId));
    }

    [Fact]
    public async Task An_image_whose_executor_keeps_failing_becomes_a_failed_image_with_the_error_as_reason()
    {
        const string jobId = "fault-exhausted";
        fixture.Faults.FailTimes(jobId, "camera", 3);

        var status = await fixture.RunToEndAsync(ClusterFixture.Spec(jobId, fixture.TwoImages, jobId));

        Assert.Equal(JobState.Completed, status.State);
        Assert.Equal(2, status.Done);
        var failure = Assert.Single(Assert.Single(status.Shards).Failures);
        Assert.Equal("camera", failure.ImageId);
        Assert.Contains("injected executor fault", failure.Reason, StringComparison.Ordinal);
    }

    private async Task<int[]> StoredIndices(string jobId)
    {
        var store = new LocalFolderArtifactStore(fixture.ArtifactRoot);
        var keys = await store.ListAsync(ArtifactKeys.ImageResultsPrefix(jobId));
        return keys.Select(ArtifactKeys.IndexOf).Order().ToArray();
    }
}
