using Mining.Grains.Contracts;

namespace Mining.Grains.Tests.Cluster;

/// <summary>
/// The registry admits a key's jobs while fewer than the limit run: admissions take turns, so the count holds for
/// callers on any gateway, and a job counts while it is being admitted or runs, not after. Each test uses its own key.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class JobAdmissionTests(ClusterFixture fixture)
{
    private IRegistryGrain Registry => fixture.Client.GetGrain<IRegistryGrain>(0);

    private static string NewKey() => Guid.NewGuid().ToString("N")[..16];

    [Fact]
    public async Task Two_admissions_for_one_key_at_once_take_turns_and_only_one_gets_the_last_place()
    {
        var key = NewKey();

        var answers = await Task.WhenAll(Registry.AdmitJob($"{key}-a", key, 1), Registry.AdmitJob($"{key}-b", key, 1));

        Assert.Equal(1, answers.Count(a => a.Admitted));
        Assert.Equal(new JobAdmission(false, 1), Assert.Single(answers, a => !a.Admitted));
    }

    [Fact]
    public async Task Another_keys_admissions_do_not_count()
    {
        var key = NewKey();
        var other = NewKey();

        var first = await Registry.AdmitJob($"{key}-a", key, 1);
        var second = await Registry.AdmitJob($"{other}-a", other, 1);

        Assert.Equal(new JobAdmission(true, 0), first);
        Assert.Equal(new JobAdmission(true, 0), second);
    }

    [Fact]
    public async Task An_ended_admission_whose_job_never_started_frees_its_place()
    {
        var key = NewKey();
        await Registry.AdmitJob($"{key}-refused", key, 1);

        await Registry.EndAdmission($"{key}-refused");
        var next = await Registry.AdmitJob($"{key}-next", key, 1);

        Assert.Equal(new JobAdmission(true, 0), next);
    }

    [Fact]
    public async Task The_same_job_admitted_again_does_not_count_against_itself()
    {
        var key = NewKey();
        await Registry.AdmitJob($"{key}-a", key, 1);

        var again = await Registry.AdmitJob($"{key}-a", key, 1);

        Assert.Equal(new JobAdmission(true, 0), again);
    }

    [Fact]
    public async Task A_job_counts_while_it_runs_and_not_once_it_has_ended()
    {
        var key = NewKey();
        var jobId = $"admitted-{key}";
        var hold = fixture.Faults.Hold(jobId, "brick");
        try
        {
            Assert.True((await Registry.AdmitJob(jobId, key, 1)).Admitted);
            await fixture.Job(jobId).Submit(ClusterFixture.Spec(jobId, fixture.TwoImages, jobId));
            await Registry.EndAdmission(jobId);
            await hold.Entered;

            var whileRunning = await Registry.AdmitJob($"{key}-b", key, 1);
            hold.Release();
            var ended = await fixture.WaitForJobAsync(jobId, s => s.State is JobState.Completed or JobState.Failed or JobState.Cancelled);
            var afterwards = await Registry.AdmitJob($"{key}-c", key, 1);

            Assert.Equal(new JobAdmission(false, 1), whileRunning);
            Assert.Equal(JobState.Completed, ended.State);
            Assert.Equal(new JobAdmission(true, 0), afterwards);
        }
        finally
        {
            hold.Release();
        }
    }

    [Fact]
    public async Task A_job_that_ran_before_counts_against_the_key_it_was_submitted_with_whoever_resumes_it()
    {
        var submitter = NewKey();
        var resumer = NewKey();
        var earlier = $"earlier-{submitter}";
        var running = $"running-{submitter}";
        Assert.True((await Registry.AdmitJob(earlier, submitter, 1)).Admitted);
        await fixture.RunToEndAsync(ClusterFixture.Spec(earlier, fixture.TwoImages, earlier));
        await Registry.EndAdmission(earlier);
        var hold = fixture.Faults.Hold(running, "brick");
        try
        {
            Assert.True((await Registry.AdmitJob(running, submitter, 1)).Admitted);
            await fixture.Job(running).Submit(ClusterFixture.Spec(running, fixture.TwoImages, running));
            await Registry.EndAdmission(running);
            await hold.Entered;

            var resumed = await Registry.AdmitJob(earlier, resumer, 1);
            var resumersOwn = await Registry.AdmitJob($"{resumer}-new", resumer, 1);

            Assert.Equal(new JobAdmission(false, 1), resumed);
            Assert.Equal(new JobAdmission(true, 0), resumersOwn);
        }
        finally
        {
            hold.Release();
        }

        await fixture.WaitForJobAsync(running, s => s.State is JobState.Completed or JobState.Failed or JobState.Cancelled);
    }
}
