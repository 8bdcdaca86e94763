using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Mining.Grains.Contracts;
using Mining.Grains.Execution;
using Mining.Grains.Hosting;
using Mining.Grains.Placement;
using Mining.Grains.Shards;
using Mining.Grains.State;
using Orleans.Concurrency;

namespace Mining.Grains.Jobs;

/// <summary>
/// A mining job: validates the spec before any work, cuts the dataset into shards, starts them, and polls them on a
/// timer (which also reactivates a deactivated shard so it resumes); when every shard is complete it asks the
/// codebook grain for the next version. Reentrant so that status and cancel answer while a poll or the codebook
/// build is in flight.
/// </summary>
/// <remarks>
/// With <see cref="MiningSiloOptions.JobReminderPeriod"/> set, a job holds a reminder from the moment it runs until it
/// reaches a terminal state (completed, failed, cancelled). A reminder outlives the cluster when its table does (Redis),
/// and its tick activates the grain, which then resumes polling: a job that was running when every silo stopped
/// carries on when the cluster starts again, without a client call.
/// It loads no model, so it lives on a gateway silo when there is one (<see cref="GatewayPreferredPlacementFilterDirector"/>).
/// </remarks>
[Reentrant]
[GatewayPreferredPlacementFilter]
public sealed partial class MiningJobGrain(
    [PersistentState("job", MiningGrainStorage.Name)] IPersistentState<MiningJobGrainState> state,
    InferenceExecutor executor,
    ILocalSiloDetails silo,
    IOptions<MiningSiloOptions> options,
    ILogger<MiningJobGrain> logger) : Grain, IMiningJobGrain, IRemindable
{
    /// <summary>The name of a running job's reminder.</summary>
    public const string ResumeReminder = "mining-job-resume";

    private readonly SerializedStateWriter<MiningJobGrainState> stateWriter = new(state);
    private IGrainTimer? poller;
    private bool polling;
    private JobSpec? submittingSpec;
    private Task<JobStatus>? submitting;

    private string JobId => this.GetPrimaryKeyString();

    /// <inheritdoc />
    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (state.State.State is JobState.Running or JobState.Assembling)
        {
            StartPolling();
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public async Task<JobStatus> Submit(JobSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (state.State.Spec is { } accepted)
        {
            return accepted == spec ? Status() : throw Conflict(accepted, spec);
        }

        if (submitting is { } pending)
        {
            return submittingSpec == spec ? await pending : throw Conflict(submittingSpec!, spec);
        }

        submittingSpec = spec;
        submitting = SubmitAsync(spec);
        try
        {
            return await submitting;
        }
        finally
        {
            submitting = null;
            submittingSpec = null;
        }
    }

    /// <inheritdoc />
    public async Task<JobStatus> GetStatus() => Status() with { CodebookSilo = await CodebookSiloAsync() };

    /// <inheritdoc />
    public async Task<JobStatus> Cancel()
    {
        var s = state.State;
        if (s.State != JobState.Running)
        {
            return Status();
        }

        s.State = JobState.Cancelled;
        StopPolling();
        var statuses = await AskShardsAsync(shard => shard.Cancel());
        s.Shards = [.. statuses];
        await SaveAsync();
        await ForgetReminderAsync();
        return Status();
    }

    /// <inheritdoc />
    public async Task<JobStatus> Resume()
    {
        var s = state.State;
        if (s.State is not (JobState.Cancelled or JobState.Failed) || s.Spec is not { } spec)
        {
            return Status();
        }

        var job = await executor.RunAsync(() => JobSpecValidator.Validate(spec, JobId, executor.Roots));
        if (job.Images != s.Images)
        {
            throw new InvalidOperationException(
                $"Images: '{spec.Images}' now lists {job.Images} images but job '{JobId}' was submitted with {s.Images}; submit a new job");
        }

        await KeepReminderAsync();
        s.State = JobState.Running;
        s.Error = null;
        s.FinishedUtc = null;
        s.Assignments = [.. job.Assignments];
        s.ParametersJson = job.ParametersJson;
        s.Family = job.Family;
        await SaveAsync();
        await StartShardsAsync(job.Assignments);
        StartPolling();
        return Status();
    }

    private async Task<JobStatus> SubmitAsync(JobSpec spec)
    {
        // Validation reads the dataset listing and the model config: file I/O, so it runs on the executor.
        var job = await executor.RunAsync(() => JobSpecValidator.Validate(spec, JobId, executor.Roots));

        // Before the state says Running, so a stored running job always has its reminder (a tick that finds no
        // running job drops the reminder).
        await KeepReminderAsync();
        var s = state.State;
        s.Spec = spec;
        s.State = JobState.Running;
        s.Images = job.Images;
        s.ModelId = job.ModelId;
        s.HiddenSize = job.HiddenSize;
        s.ParametersJson = job.ParametersJson;
        s.Family = job.Family;
        s.Shards = [.. job.Assignments.Select(a => new ShardStatus(a.ShardIndex, ShardState.None, a.Images.Count, 0, 0, [], null, null, 0))];
        s.Assignments = [.. job.Assignments];
        s.StartedUtc = DateTime.UtcNow;
        await SaveAsync();
        await GrainFactory.GetGrain<IRegistryGrain>(0).RegisterJob(JobId);
        await StartShardsAsync(job.Assignments);
        StartPolling();
        return Status();
    }

    /// <summary>Starts (or resumes) the given shards; one that cannot be reached stays as it was and the next poll retries it.</summary>
    private async Task StartShardsAsync(IEnumerable<ShardAssignment> assignments)
    {
        var started = await Task.WhenAll(assignments.Select(async assignment =>
        {
            try
            {
                return await Shard(assignment.ShardIndex).Start(assignment);
            }
            catch (Exception e)
            {
                LogShardCallFailed(logger, e, JobId, assignment.ShardIndex);
                return null;
            }
        }));
        var s = state.State;
        foreach (var status in started.OfType<ShardStatus>())
        {
            s.Shards[status.ShardIndex] = status;
        }

        await SaveAsync();
    }

    private void StartPolling()
    {
        var interval = options.Value.JobPollInterval;
        poller ??= this.RegisterGrainTimer(PollAsync, new GrainTimerCreationOptions(interval, interval) { Interleave = true, KeepAlive = true });
    }

    private void StopPolling()
    {
        poller?.Dispose();
        poller = null;
    }

    private async Task PollAsync(CancellationToken cancellationToken)
    {
        if (polling)
        {
            return;
        }

        polling = true;
        try
        {
            if (state.State.State == JobState.Running)
            {
                await PollShardsAsync();
            }

            if (state.State.State == JobState.Assembling)
            {
                await AssembleAsync();
            }
        }
        catch (Exception e)
        {
            LogPollFailed(logger, e, JobId);
        }
        finally
        {
            polling = false;
        }
    }

    private async Task PollShardsAsync()
    {
        var s = state.State;
        var statuses = await AskShardsAsync(shard => shard.GetStatus());
        if (s.State != JobState.Running)
        {
            // Cancelled while the shards answered.
            return;
        }

        var changed = statuses.Zip(s.Shards).Any(pair => Progress(pair.First) != Progress(pair.Second));
        s.Shards = [.. statuses];
        var idle = statuses.Where(x => x.State is ShardState.None or ShardState.Cancelled).Select(x => x.ShardIndex).ToHashSet();
        if (idle.Count > 0)
        {
            // A shard that never received its assignment (or a cancel that outlived a resume): start it again.
            var assignments = s.Assignments.Count > 0
                ? s.Assignments
                : (await executor.RunAsync(() => JobSpecValidator.Validate(s.Spec!, JobId, executor.Roots))).Assignments;
            await StartShardsAsync(assignments.Where(a => idle.Contains(a.ShardIndex)));
            return;
        }

        if (statuses.All(x => x.State == ShardState.Completed))
        {
            s.State = JobState.Assembling;
            changed = true;
        }

        if (changed)
        {
            await SaveAsync();
        }
    }

    private async Task AssembleAsync()
    {
        var s = state.State;
        var spec = s.Spec!;
        var input = new CodebookJobInput(JobId, s.ParametersJson is { Length: > 0 } resolved ? resolved : spec.ParametersJson, s.ModelId, s.HiddenSize, s.Images) { Family = s.Family };
        CodebookVersionInfo version;
        try
        {
            version = await GrainFactory.GetGrain<ICodebookGrain>(spec.CodebookName).AddJob(input);
        }
        catch (Exception e) when (e is TimeoutException or OrleansException)
        {
            // Still building, or unreachable: AddJob is idempotent per job, so the next poll asks again.
            LogAssemblyPending(logger, e, JobId);
            return;
        }
        catch (Exception e)
        {
            if (s.State == JobState.Assembling)
            {
                s.State = JobState.Failed;
                s.Error = $"codebook '{spec.CodebookName}': {e.Message}";
                s.FinishedUtc = DateTime.UtcNow;
                StopPolling();
                await SaveAsync();
                await ForgetReminderAsync();
            }

            return;
        }

        if (s.State != JobState.Assembling)
        {
            return;
        }

        s.State = JobState.Completed;
        s.CodebookVersion = version.Version;
        s.Statistics = version.Statistics with { VariantsScored = s.Shards.Sum(x => x.VariantsScored) };
        s.FinishedUtc = DateTime.UtcNow;
        StopPolling();
        await SaveAsync();
        await ForgetReminderAsync();
    }

    /// <inheritdoc />
    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName != ResumeReminder)
        {
            return;
        }

        if (state.State.State is JobState.Running or JobState.Assembling)
        {
            // Activation already started polling; a tick on a live job finds the poller there and changes nothing.
            StartPolling();
            return;
        }

        // Left over: the job ended while the reminder could not be removed, or its submit never stored Running.
        await ForgetReminderAsync();
    }

    /// <summary>Registers the job's reminder (idempotent); a failure propagates, so no job runs without one.</summary>
    private async Task KeepReminderAsync()
    {
        if (options.Value.JobReminderPeriod is { } period)
        {
            await this.RegisterOrUpdateReminder(ResumeReminder, period, period);
        }
    }

    /// <summary>Removes the job's reminder; a failure is logged only: the next tick finds the job ended and tries again.</summary>
    private async Task ForgetReminderAsync()
    {
        if (options.Value.JobReminderPeriod is null)
        {
            return;
        }

        try
        {
            if (await this.GetReminder(ResumeReminder) is { } reminder)
            {
                await this.UnregisterReminder(reminder);
            }
        }
        catch (Exception e)
        {
            LogReminderNotRemoved(logger, e, JobId);
        }
    }

    private JobStatus Status()
    {
        var s = state.State;
        return new JobStatus(
            JobId,
            s.State,
            s.Spec?.CodebookName ?? "",
            s.Images,
            s.Shards.Sum(x => x.Done),
            s.Shards.Sum(x => x.Failed),
            s.Shards.ToArray(),
            s.StartedUtc,
            s.FinishedUtc,
            s.CodebookVersion,
            s.Error,
            s.Statistics)
        {
            JobSilo = silo.SiloAddress.Endpoint.ToString(),
        };
    }

    /// <summary>
    /// Where the job's codebook grain is active, from the grain directory (the management grain's lookup activates
    /// nothing); null when it is not active, when the job has no spec yet, or when the lookup fails (a status must
    /// answer while the directory's silo is away).
    /// </summary>
    private async Task<string?> CodebookSiloAsync()
    {
        if (state.State.Spec?.CodebookName is not { Length: > 0 } name)
        {
            return null;
        }

        try
        {
            var address = await GrainFactory.GetGrain<IManagementGrain>(0).GetActivationAddress(GrainFactory.GetGrain<ICodebookGrain>(name));
            return address?.Endpoint.ToString();
        }
        catch (Exception e)
        {
            LogCodebookLookupFailed(logger, e, JobId);
            return null;
        }
    }

    /// <summary>Asks every shard at once; a shard that cannot be reached answers with the last status it reported.</summary>
    private Task<ShardStatus[]> AskShardsAsync(Func<IImageShardGrain, Task<ShardStatus>> ask) =>
        Task.WhenAll(state.State.Shards.Select(async last =>
        {
            try
            {
                return await ask(Shard(last.ShardIndex));
            }
            catch (Exception e)
            {
                LogShardCallFailed(logger, e, JobId, last.ShardIndex);
                return last;
            }
        }));

    private IImageShardGrain Shard(int index) => GrainFactory.GetGrain<IImageShardGrain>(ShardKey.Format(JobId, index));

    private static (ShardState, int, int, int) Progress(ShardStatus status) => (status.State, status.Done, status.Failed, status.Attempts);

    private ArgumentException Conflict(JobSpec accepted, JobSpec offered)
    {
        var fields = new (string Name, object? Accepted, object? Offered)[]
        {
            (nameof(JobSpec.Images), accepted.Images, offered.Images),
            (nameof(JobSpec.Model), accepted.Model, offered.Model),
            (nameof(JobSpec.CodebookName), accepted.CodebookName, offered.CodebookName),
            (nameof(JobSpec.ParametersJson), accepted.ParametersJson, offered.ParametersJson),
            (nameof(JobSpec.Preset), accepted.Preset, offered.Preset),
            (nameof(JobSpec.AllTokens), accepted.AllTokens, offered.AllTokens),
            (nameof(JobSpec.ImageAspect), accepted.ImageAspect, offered.ImageAspect),
            (nameof(JobSpec.ImagesPerShard), accepted.ImagesPerShard, offered.ImagesPerShard),
            (nameof(JobSpec.ModelId), accepted.ModelId, offered.ModelId),
        };
        var differing = fields.Where(f => !Equals(f.Accepted, f.Offered)).Select(f => f.Name).ToArray();
        return new ArgumentException(
            $"JobId: job '{JobId}' was already submitted with a different spec ({string.Join(", ", differing)} differ); use a new job id",
            nameof(JobSpec.JobId));
    }

    /// <summary>Writes the state; reentrant calls take turns so two writes never race on the ETag.</summary>
    private Task SaveAsync() => stateWriter.WriteAsync();

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {JobId}: call to shard {Shard} failed")]
    private static partial void LogShardCallFailed(ILogger logger, Exception exception, string jobId, int shard);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {JobId}: poll failed")]
    private static partial void LogPollFailed(ILogger logger, Exception exception, string jobId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {JobId}: its reminder could not be removed; the next tick tries again")]
    private static partial void LogReminderNotRemoved(ILogger logger, Exception exception, string jobId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {JobId}: where its codebook grain lives could not be looked up")]
    private static partial void LogCodebookLookupFailed(ILogger logger, Exception exception, string jobId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {JobId}: codebook not ready yet; asking again at the next poll")]
    private static partial void LogAssemblyPending(ILogger logger, Exception exception, string jobId);
}
