using System.CommandLine;
using System.Text.Json;
using Mining.Grains.Contracts;

namespace Mining.Client.Commands;

/// <summary><c>mining jobs submit | list | status | watch | cancel | resume</c>.</summary>
internal static class JobsCommand
{
    private const string EmbeddedNote =
        " Without --cluster the verb starts its own silos, whose jobs end when it exits: these verbs are for a running cluster (see README, 'Running a cluster').";

    public static Command Create() => new("jobs", "Submit mining jobs to a cluster and follow, list, cancel and resume them." + EmbeddedNote)
    {
        Submit(),
        List(),
        Status(),
        Watch(),
        Cancel(),
        Resume(),
    };

    private static Command Submit()
    {
        var watch = new Option<bool>("--watch") { Description = "Follow the job with a bar per shard until it ends (always so without --cluster)." };
        var json = new Option<bool>("--json") { Description = "Print the job's status as JSON." };
        var spec = new JobSpecOptions();
        var cluster = new ClusterOptionSet();
        var runtime = new RuntimeOptionSet();
        var command = new Command("submit", "Submit a mining job and print its id; its codebook version is exported with 'mining codebook export'." + EmbeddedNote)
        {
            watch, json,
        };
        spec.AddTo(command);
        cluster.AddTo(command);
        runtime.AddTo(command);
        command.SetAction((result, cancellation) => CommandFailure.GuardAsync(async () =>
        {
            var job = spec.Read(result);
            await using var session = await cluster.OpenAsync(result, runtime, cancellation);
            var status = await JobRun.SubmitAsync(session.Client, job);
            Console.Error.WriteLine($"submitted job {job.JobId} to {session.Description}");
            if (result.GetValue(watch) || session.IsEmbedded)
            {
                return await FollowAsync(session.Client, job.JobId, result.GetValue(json), cancellation);
            }

            Console.WriteLine(result.GetValue(json) ? JsonSerializer.Serialize(status, CliJson.Options) : job.JobId);
            return 0;
        }));
        return command;
    }

    private static Command List()
    {
        var json = new Option<bool>("--json") { Description = "Print the jobs' statuses as a JSON array." };
        var cluster = new ClusterOptionSet();
        var command = new Command("list", "List the cluster's jobs, oldest first: state, progress, codebook version, start time." + EmbeddedNote)
        {
            json,
        };
        cluster.AddTo(command);
        command.SetAction((result, cancellation) => CommandFailure.GuardAsync(async () =>
        {
            await using var session = await cluster.OpenAsync(result, null, cancellation);
            var ids = await session.Client.GetGrain<IJobRegistryGrain>(0).List();
            var statuses = await Task.WhenAll(ids.Select(id => session.Client.GetGrain<IMiningJobGrain>(id).GetStatus()));
            Console.WriteLine(result.GetValue(json) ? JsonSerializer.Serialize(statuses, CliJson.Options) : JobStatusText.Table(statuses));
            return 0;
        }));
        return command;
    }

    private static Command Status() => OnJob(
        "status",
        "Print a job's state, progress per shard, failed images and, once complete, its codebook version and statistics.",
        (client, jobId) => JobWatcher.StatusAsync(client, jobId));

    private static Command Cancel() => OnJob(
        "cancel",
        "Cancel a job: each shard finishes the image in hand; stored results stay, and 'jobs resume' continues.",
        async (client, jobId) =>
        {
            await JobWatcher.StatusAsync(client, jobId);
            return await client.GetGrain<IMiningJobGrain>(jobId).Cancel();
        });

    private static Command Resume() => OnJob(
        "resume",
        "Resume a cancelled or failed job; images with stored results are not mined again.",
        async (client, jobId) =>
        {
            await JobWatcher.StatusAsync(client, jobId);
            return await client.GetGrain<IMiningJobGrain>(jobId).Resume();
        });

    private static Command Watch()
    {
        var job = new Argument<string>("JOB") { Description = "The job id." };
        var json = new Option<bool>("--json") { Description = "Print the final status as JSON." };
        var cluster = new ClusterOptionSet();
        var command = new Command("watch", "Follow a job with a live progress bar per shard (on stderr) until it ends, then print its status. Exit code 0 when it completed, 1 when it failed or was cancelled; Ctrl+C stops watching, not the job." + EmbeddedNote)
        {
            job, json,
        };
        cluster.AddTo(command);
        command.SetAction((result, cancellation) => CommandFailure.GuardAsync(async () =>
        {
            await using var session = await cluster.OpenAsync(result, null, cancellation);
            return await FollowAsync(session.Client, result.GetValue(job)!, result.GetValue(json), cancellation);
        }));
        return command;
    }

    /// <summary>A verb that does one thing to one job and prints its status.</summary>
    private static Command OnJob(string name, string description, Func<IClusterClient, string, Task<JobStatus>> act)
    {
        var job = new Argument<string>("JOB") { Description = "The job id." };
        var json = new Option<bool>("--json") { Description = "Print the status as JSON." };
        var cluster = new ClusterOptionSet();
        var command = new Command(name, description + EmbeddedNote)
        {
            job, json,
        };
        cluster.AddTo(command);
        command.SetAction((result, cancellation) => CommandFailure.GuardAsync(async () =>
        {
            await using var session = await cluster.OpenAsync(result, null, cancellation);
            var status = await act(session.Client, result.GetValue(job)!);
            Print(status, result.GetValue(json));
            return 0;
        }));
        return command;
    }

    /// <summary>Shows shard bars until the job ends and prints its status; 0 when it completed, 1 otherwise, 130 when interrupted.</summary>
    private static async Task<int> FollowAsync(IClusterClient client, string jobId, bool json, CancellationToken cancellation)
    {
        JobStatus status;
        try
        {
            status = await JobWatcher.WatchAsync(client, jobId, new ShardProgressView(), cancellation);
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
            Console.Error.WriteLine($"mining: stopped watching job {jobId}");
            return 130;
        }

        Print(status, json);
        if (status.State == JobState.Completed)
        {
            return 0;
        }

        Console.Error.WriteLine($"mining: error: {JobRun.Unfinished(status)}");
        return 1;
    }

    private static void Print(JobStatus status, bool json) =>
        Console.WriteLine(json ? JsonSerializer.Serialize(status, CliJson.Options) : JobStatusText.Describe(status));
}
