using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Mining.Grains.Artifacts;
using Mining.Grains.Contracts;
using Mining.Grains.Execution;
using Mining.Grains.Hosting;
using Mining.Grains.Placement;
using Mining.Grains.State;
using Mining.Kernels.Datasets;
using Mining.Kernels.Experiments;
using Mining.Kernels.Imaging;
using Mining.Kernels.Pipeline;
using Orleans.Concurrency;

namespace Mining.Grains.Shards;

/// <summary>
/// Mines a slice of a job's images through its silo's <see cref="InferenceExecutor"/>, one image per timer tick:
/// the image's result goes to the artifact store before the shard counts it done, and before mining an image the
/// shard looks for its stored result, so a reactivated shard neither recomputes nor loses an image.
/// </summary>
/// <remarks>
/// Reentrant so that <c>GetStatus</c> and <c>Cancel</c> answer while an image is in hand; the tick is single-flight
/// (<see cref="inHand"/>). One image per tick bounds how long a deactivation waits (Orleans lets a running tick
/// finish before deactivating). Placed only on worker silos, a job's shards spread over them in turn
/// (<see cref="ShardSpreadPlacementDirector"/>).
/// </remarks>
[Reentrant]
[WorkerPlacementFilter]
[ShardSpreadPlacement]
public sealed partial class ImageShardGrain(
    [PersistentState("shard", MiningGrainStorage.Name)] IPersistentState<ImageShardGrainState> state,
    IArtifactStore store,
    InferenceExecutor executor,
    ILocalSiloDetails silo,
    IOptions<MiningSiloOptions> options,
    ILogger<ImageShardGrain> logger) : Grain, IImageShardGrain
{
    private readonly SerializedStateWriter<ImageShardGrainState> stateWriter = new(state);
    private IGrainTimer? timer;
    private Task? inHand;
    private MiningParameters? parameters;

    /// <inheritdoc />
    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (state.State is { Assignment: not null, State: ShardState.Running })
        {
            LogResuming(logger, this.GetPrimaryKeyString(), state.State.Next, state.State.Assignment.Images.Count);
            StartTicking();
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public async Task<ShardStatus> Start(ShardAssignment assignment)
    {
        ArgumentNullException.ThrowIfNull(assignment);
        var key = this.GetPrimaryKeyString();
        if (ShardKey.Format(assignment.JobId, assignment.ShardIndex) != key)
        {
            throw new ArgumentException($"assignment for job '{assignment.JobId}' shard {assignment.ShardIndex} was sent to shard '{key}'", nameof(assignment));
        }

        var s = state.State;
        if (s.Assignment is null)
        {
            s.Assignment = assignment;
            s.State = assignment.Images.Count == 0 ? ShardState.Completed : ShardState.Running;
            await SaveAsync();
        }
        else if (s.State == ShardState.Cancelled)
        {
            s.State = ShardState.Running;
            await SaveAsync();
        }

        if (s.State == ShardState.Running)
        {
            StartTicking();
        }

        return Status();
    }

    /// <inheritdoc />
    public Task<ShardStatus> GetStatus() => Task.FromResult(Status());

    /// <inheritdoc />
    public async Task<ShardStatus> Cancel()
    {
        var s = state.State;
        if (s.State != ShardState.Running)
        {
            return Status();
        }

        s.State = ShardState.Cancelled;
        StopTicking();

        // The image in hand finishes and is stored, so the returned status counts exactly the stored results.
        if (inHand is { } current)
        {
            try
            {
                await current;
            }
            catch (Exception)
            {
                // The tick has recorded its own failure in the state; the cancel still stands.
            }
        }

        await SaveAsync();
        return Status();
    }

    private ShardStatus Status()
    {
        var s = state.State;
        var index = s.Assignment?.ShardIndex ?? ShardKey.Parse(this.GetPrimaryKeyString()).ShardIndex;
        return new ShardStatus(
            index,
            s.State,
            s.Assignment?.Images.Count ?? 0,
            s.Done,
            s.Failed,
            s.Failures.ToArray(),
            silo.SiloAddress.ToParsableString(),
            s.Error,
            s.Attempts)
        {
            VariantsScored = s.VariantsScored,
        };
    }

    private void StartTicking() =>
        timer ??= this.RegisterGrainTimer(
            TickAsync,
            new GrainTimerCreationOptions(TimeSpan.Zero, TimeSpan.Zero) { Interleave = true, KeepAlive = true });

    private void StopTicking()
    {
        timer?.Dispose();
        timer = null;
    }

    /// <summary>One image per tick; a tick that finds another still working leaves it alone.</summary>
    private async Task TickAsync(CancellationToken cancellationToken)
    {
        if (inHand is not null)
        {
            return;
        }

        var work = MineNextAsync();
        inHand = work;
        try
        {
            await work;
        }
        catch (Exception e)
        {
            // Storage or artifact-store trouble: keep what is stored, record why, and try again after a pause.
            state.State.Error = e.Message;
            LogTickFailed(logger, e, this.GetPrimaryKeyString());
            timer?.Change(options.Value.RetryBackoff, TimeSpan.Zero);
        }
        finally
        {
            inHand = null;
        }
    }

    private async Task MineNextAsync()
    {
        var s = state.State;
        if (s.State != ShardState.Running || s.Assignment is not { } assignment)
        {
            StopTicking();
            return;
        }

        if (s.Next >= assignment.Images.Count)
        {
            s.State = ShardState.Completed;
            StopTicking();
            await SaveAsync();
            return;
        }

        var image = assignment.Images[s.Next];
        var key = ArtifactKeys.ImageResult(assignment.JobId, image.Index);
        ImageResult result;
        long variants = 0;
        if (await store.ExistsAsync(key))
        {
            // Stored by an earlier activation that did not live to count it.
            var bytes = await store.GetAsync(key);
            result = await executor.RunAsync(() => ArtifactCodec.DecodeImageResult(bytes, key));
        }
        else
        {
            var mined = await TryMineAsync(assignment, image);
            if (mined is null)
            {
                return;
            }

            result = mined.Result;
            variants = mined.VariantsScored;
            if (result.Status == ImageStatus.Ok && image.Index < options.Value.ImpactImages)
            {
                // Held-out tokens for the codebook's dedup impact report: the successful images among the first
                // ImpactImages by dataset index, the same images a single-process run holds out. Stored before the
                // result, so a stored result always has its candidates.
                var hidden = result.HiddenSize;
                var candidates = await executor.RunAsync(() => ArtifactCodec.EncodeCandidates(mined.CandidateEmbeddings, result.Candidates.Count, hidden));
                await store.PutAsync(ArtifactKeys.Candidates(assignment.JobId, image.Index), candidates);
            }

            var encoded = await executor.RunAsync(() => ArtifactCodec.EncodeImageResult(result));
            await store.PutAsync(key, encoded);
        }

        s.Done++;
        s.VariantsScored += variants;
        if (result.Status == ImageStatus.Failed)
        {
            s.Failed++;
            s.Failures.Add(new ImageFailureInfo(result.ImageId, result.FailureReason ?? "unknown"));
        }

        s.Next++;
        s.ImageAttempts = 0;
        s.Error = null;
        if (s.Next >= assignment.Images.Count && s.State == ShardState.Running)
        {
            s.State = ShardState.Completed;
        }

        if (s.State != ShardState.Running)
        {
            StopTicking();
        }

        await SaveAsync();
    }

    /// <summary>
    /// Mines <paramref name="image"/>; a throwing executor is a silo fault: back off and return null (retry), or after
    /// <see cref="MiningSiloOptions.MaxImageAttempts"/> attempts give a failed result carrying the error. A stopping
    /// executor is not the image's fault: that propagates to the tick, which backs off without counting an attempt.
    /// </summary>
    private async Task<MinedImage?> TryMineAsync(ShardAssignment assignment, ShardImage image)
    {
        var s = state.State;
        try
        {
            parameters ??= MiningParameters.FromJson(assignment.ParametersJson);
            var request = new ImageMiningRequest(
                assignment.JobId,
                assignment.Model,
                parameters,
                assignment.AllTokens ? CandidateMode.All : CandidateMode.Reference,
                assignment.ImageAspect,
                new DatasetImage(image.ImageId, image.Path));
            return await executor.MineAsync(request);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            s.Attempts++;
            s.ImageAttempts++;
            LogFault(logger, e, this.GetPrimaryKeyString(), image.ImageId, s.ImageAttempts);
            if (s.ImageAttempts >= options.Value.MaxImageAttempts)
            {
                var reason = $"the executor failed {s.ImageAttempts} times; last error: {e.Message}";
                return new MinedImage(ImageResult.Failure(image.ImageId, reason), [], [], 0);
            }

            s.Error = e.Message;
            await SaveAsync();
            timer?.Change(options.Value.RetryBackoff * s.ImageAttempts, TimeSpan.Zero);
            return null;
        }
    }

    /// <summary>Writes the state; reentrant calls take turns so two writes never race on the ETag.</summary>
    private Task SaveAsync() => stateWriter.WriteAsync();

    [LoggerMessage(Level = LogLevel.Information, Message = "Shard {Shard} resumes at image {Next} of {Count}")]
    private static partial void LogResuming(ILogger logger, string shard, int next, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Shard {Shard}: the executor failed on image {ImageId} (attempt {Attempt})")]
    private static partial void LogFault(ILogger logger, Exception exception, string shard, string imageId, int attempt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Shard {Shard}: tick failed; retrying after the backoff")]
    private static partial void LogTickFailed(ILogger logger, Exception exception, string shard);
}
