using System.CommandLine;
using System.Text.Json;
using Mining.Grains.Contracts;
using Mining.Kernels.Pipeline;

namespace Mining.Client.Commands;

/// <summary><c>mining jobs submit | list | status | watch | cancel | resume</c>, through Orleans (<c>--cluster</c>) or the gateway's HTTP API (<c>--api</c>).</summary>
internal static class JobsCommand
{
    public static Command Create() => new("jobs", "Submit mining jobs to a cluster and follow, list, cancel and resume them. Every jobs verb needs a running cluster: --cluster HOST:PORT (Orleans) or --api URL (the HTTP gateway); see README, 'Running a cluster'. To mine without a cluster, use 'mining mine'.")
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
        var watch = new Option<bool>("--watch") { Description = "Follow the job with a bar per shard until it ends." };
        var json = new Option<bool>("--json") { Description = "Print the job's status as JSON." };
        var spec = new JobSpecOptions();
        var target = new Target(new RuntimeOptionSet());
        var command = new Command("submit", "Submit a mining job and print its id; its codebook version is exported with 'mining codebook export'.")
        {
            watch, json,
        };
        spec.AddTo(command);
        target.AddTo(command);
        command.SetAction((result, cancellation) => CommandFailure.GuardAsync(async () =>
        {
            target.RequireCluster(result, "jobs submit");
            var job = spec.Read(result);
            InputPaths.RequireName(result.GetValue(spec.JobId), "--job-id");
            InputPaths.RequireName(result.GetValue(spec.Codebook), "--codebook");
            await using var jobs = await target.OpenAsync(result, cancellation);
            var status = await jobs.SubmitAsync(job, cancellation);
            Console.Error.WriteLine($"submitted job {job.JobId} to {jobs.Description}");
            if (result.GetValue(watch) || jobs.IsEmbedded)
            {
                return await FollowAsync(jobs, job.JobId, result.GetValue(json), cancellation);
            }

            Console.WriteLine(result.GetValue(json) ? JsonSerializer.Serialize(status, CliJson.Options) : job.JobId);
            return 0;
        }));
        return command;
    }

    private static Command List()
    {
        var json = new Option<bool>("--json") { Description = "Print the jobs' statuses as a JSON array." };
        var target = new Target(null);
        var command = new Command("list", "List the cluster's jobs, oldest first: state, progress, codebook version, start time.")
        {
            json,
        };
        target.AddTo(command);
        command.SetAction((result, cancellation) => CommandFailure.GuardAsync(async () =>
        {
            target.RequireCluster(result, "jobs list");
            await using var jobs = await target.OpenAsync(result, cancellation);
            var statuses = await jobs.ListAsync(cancellation);
            Console.WriteLine(result.GetValue(json) ? JsonSerializer.Serialize(statuses, CliJson.Options) : JobStatusText.Table(statuses));
            return 0;
        }));
        return command;
    }

    private static Command Status() => OnJob(
        "status",
        "Print a job's state, progress per shard, failed images and, once complete, its codebook version and statistics.",
        (jobs, jobId, cancellation) => jobs.StatusAsync(jobId, cancellation));

    private static Command Cancel() => OnJob(
        "cancel",
        "Cancel a job: each shard finishes the image in hand; stored results stay, and 'jobs resume' continues.",
        (jobs, jobId, cancellation) => jobs.CancelAsync(jobId, cancellation));

    private static Command Resume() => OnJob(
        "resume",
        "Resume a cancelled or failed job; images with stored results are not mined again.",
        (jobs, jobId, cancellation) => jobs.ResumeAsync(jobId, cancellation));

    private static Command Watch()
    {
        var job = new Argument<string>("JOB") { Description = "The job id." };
        var json = new Option<bool>("--json") { Description = "Print the final status as JSON." };
        var target = new Target(null);
        var command = new Command("watch", "Follow a job with a live progress bar per shard (on stderr) until it ends, then print its status. Exit code 0 when it completed, 1 when it failed or was cancelled; Ctrl+C stops watching, not the job.")
        {
            job, json,
        };
        target.AddTo(command);
        command.SetAction((result, cancellation) => CommandFailure.GuardAsync(async () =>
        {
            target.RequireCluster(result, "jobs watch");
            InputPaths.RequireName(result.GetValue(job), "JOB");
            await using var jobs = await target.OpenAsync(result, cancellation);
            return await FollowAsync(jobs, result.GetValue(job)!, result.GetValue(json), cancellation);
        }));
        return command;
    }

    /// <summary>A verb that does one thing to one job and prints its status.</summary>
    private static Command OnJob(string name, string description, Func<IJobClient, string, CancellationToken, Task<JobStatus>> act)
    {
        var job = new Argument<string>("JOB") { Description = "The job id." };
        var json = new Option<bool>("--json") { Description = "Print the status as JSON." };
        var target = new Target(null);
        var command = new Command(name, description)
        {
            job, json,
        };
        target.AddTo(command);
        command.SetAction((result, cancellation) => CommandFailure.GuardAsync(async () =>
        {
            target.RequireCluster(result, $"jobs {name}");
            InputPaths.RequireName(result.GetValue(job), "JOB");
            await using var jobs = await target.OpenAsync(result, cancellation);
            var status = await act(jobs, result.GetValue(job)!, cancellation);
            Print(status, result.GetValue(json));
            return 0;
        }));
        return command;
    }

    /// <summary>Shows shard bars until the job ends and prints its status; 0 when it completed, 1 otherwise, 130 when interrupted.</summary>
    private static async Task<int> FollowAsync(IJobClient jobs, string jobId, bool json, CancellationToken cancellation)
    {
        JobStatus status;
        try
        {
            status = await JobWatcher.WatchAsync(jobs, jobId, new ShardProgressView(), cancellation);
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
            Console.Error.WriteLine($"mining: stopped watching job {jobId}");
            return 130;
        }

        Print(status, json);
        if (status.State == JobState.Completed)
        {
            if (status.Statistics is { } statistics)
            {
                // The same funnel and explanation 'mine' prints; a job's status carries no parameters, so they are named without values.
                var funnel = new MiningFunnel(status.Done - status.Failed, statistics.Candidates, statistics.Redundant, statistics.Kept, statistics.PrototypeClustersKept, statistics.PrototypesAfterDedup);
                Console.Error.WriteLine($"funnel: {funnel.ToText()}");
                if (funnel.EmptyBecause(null) is { } because)
                {
                    Console.Error.WriteLine($"mining: warning: job {jobId}'s codebook version is empty: {because}");
                }
            }

            return 0;
        }

        Console.Error.WriteLine($"mining: error: {JobRun.Unfinished(status)}");
        return 1;
    }

    private static void Print(JobStatus status, bool json) =>
        Console.WriteLine(json ? JsonSerializer.Serialize(status, CliJson.Options) : JobStatusText.Describe(status));

    /// <summary>Where a verb's jobs are: <c>--api</c>, else <c>--cluster</c> (with <paramref name="runtime"/>'s options refused, if the verb has them); without either the verb refuses to run.</summary>
    private sealed class Target(RuntimeOptionSet? runtime)
    {
        private readonly ClusterOptionSet cluster = new();
        private readonly ApiOptionSet api = new();

        public void AddTo(Command command)
        {
            cluster.AddTo(command);
            api.AddTo(command);
            runtime?.AddTo(command);
        }

        /// <summary>Throws unless <c>--cluster</c> or <c>--api</c> is given: silos started for one command would hold no jobs and keep none.</summary>
        public void RequireCluster(ParseResult result, string verb) => ClusterRequirement.Require(result, cluster, api, verb);

        public async Task<IJobClient> OpenAsync(ParseResult result, CancellationToken cancellation) =>
            api.IsGiven(result)
                ? new ApiJobClient(api.Open(result, cluster, runtime))
                : new GrainJobClient(await cluster.OpenAsync(result, runtime, cancellation));
    }
}
