using Mining.Grains.Artifacts;
using Mining.Grains.Contracts;
using Mining.Kernels.Checkpoints;
using Mining.Kernels.Experiments;
using Mining.Kernels.Model;

namespace Mining.Silo.Tests.Cluster;

/// <summary>
/// A job of each LLaVA family on <c>infra/local/cluster</c> (Azurite, Redis, a gateway and a worker as processes): a make-tiny
/// checkpoint of the family in a folder the silos read, every sample image mined and stored, and the codebook built.
/// </summary>
[Collection(LocalClusterCollection.Name)]
public sealed class LocalClusterFamilyJobTests
{
    /// <summary>Bounds the test: cluster start (possibly a build), the job and shutdown.</summary>
    private static readonly TimeSpan TestTimeout = TimeSpan.FromMinutes(20);

    private static readonly TimeSpan JobTimeout = TimeSpan.FromMinutes(10);

    /// <summary>The families a job runs for.</summary>
    public static TheoryData<string> Families => new("llava", "next", "onevision");

    [Theory]
    [MemberData(nameof(Families))]
    public async Task A_job_of_the_family_completes_on_the_local_cluster_with_every_image_stored_once_and_a_codebook(string family)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TestTimeout);
        var cancellation = timeout.Token;
        var modelFamily = ModelFamily.All.Single(f => f.Name == family);
        await using var cluster = await LocalCluster.UpAsync(workers: 1, cancellation);
        var model = cluster.NewDataFolder($"{family}-model");
        TinyCheckpoint.Create(new TinyCheckpointSpec { Family = modelFamily, Seed = 7 }, model);

        // Every token redundant, so the per-image filter and the pooled clustering get input on any random model.
        var parameters = ClusterJob.Parameters with { Top1Thres = 0.99, JsdThres = 10, SkipLeadingTokens = MiningPreset.DefaultFor(modelFamily).SkipLeadingTokens };
        var job = ClusterJob.Create($"{family}-job", copies: 1, cluster.NewDataFolder($"{family}-images"), model, parameters);
        await using var connection = await cluster.ConnectAsync(cancellation);
        await job.SubmitAsync(connection.Client);

        var status = await job.WaitForEndAsync(connection.Client, JobTimeout, cancellation);

        Assert.True(
            status.State == JobState.Completed && status.Done == job.ImageIds.Count && status.Failed == 0,
            $"job {job.Id}: {ClusterJob.Describe(status)}\nworker log:\n{cluster.LogTail("worker1")}");
        var stored = await new StoredImageResults(cluster.StorageConnectionString).ReadAsync(job.Id, cancellation);
        Assert.Equal(Enumerable.Range(0, job.ImageIds.Count), stored.Select(s => ArtifactKeys.IndexOf(s.Key)));
        Assert.All(stored, s => Assert.Equal((ImageStatus.Ok, 64), (s.Result.Status, s.Result.Candidates.Count)));
        var codebook = ArtifactCodec.DecodeCodebook(await ExportedCodebook.BytesAsync(connection.Client.GetGrain<ICodebookGrain>(job.Spec.CodebookName), status.CodebookVersion, cancellation));
        Assert.NotEmpty(codebook.Entries);
    }
}
