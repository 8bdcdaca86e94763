using Mining.Grains.Contracts;
using Mining.Grains.Hosting;

namespace Mining.Grains.Registry;

/// <summary>The list of submitted jobs, the API key each was submitted with, and the names of all codebooks.</summary>
/// <remarks>
/// Not reentrant: one activation in the cluster answers one call at a time, which is what makes
/// <see cref="AdmitJob"/>'s count hold across gateways. A job grain is reentrant, so the registry asking job grains
/// for their state never waits on a job that is itself waiting on <see cref="RegisterJob"/>.
/// </remarks>
public sealed class RegistryGrain(
    [PersistentState("registry", MiningGrainStorage.Name)] IPersistentState<RegistryState> state) : Grain, IRegistryGrain
{
    /// <summary>
    /// How long an admission counts without <see cref="EndAdmission"/> (a gateway that stopped mid-submit); longer
    /// than a job's validation takes.
    /// </summary>
    public static readonly TimeSpan AdmissionLifetime = TimeSpan.FromMinutes(10);

    // Jobs admitted whose grain has not answered yet, by job id: the key they count against and until when. Held in
    // memory only: they last as long as one submit.
    private readonly Dictionary<string, (string KeyId, DateTime Until)> admitting = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public async Task RegisterJob(string jobId)
    {
        ArgumentException.ThrowIfNullOrEmpty(jobId);
        var ids = state.State.JobIds;
        if (ids.Contains(jobId, StringComparer.Ordinal))
        {
            return;
        }

        ids.Add(jobId);
        await state.WriteStateAsync();
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<string>> ListJobs() => Task.FromResult<IReadOnlyList<string>>(state.State.JobIds.ToArray());

    /// <inheritdoc />
    public async Task<JobAdmission> AdmitJob(string jobId, string keyId, int maxRunning)
    {
        ArgumentException.ThrowIfNullOrEmpty(jobId);
        ArgumentException.ThrowIfNullOrEmpty(keyId);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxRunning, 1);
        var s = state.State;
        var started = s.JobIds.ToHashSet(StringComparer.Ordinal);
        var owner = started.Contains(jobId) && s.JobKeys.TryGetValue(jobId, out var submitter) ? submitter : keyId;

        var now = DateTime.UtcNow;
        foreach (var expired in admitting.Where(a => a.Value.Until <= now).Select(a => a.Key).ToArray())
        {
            admitting.Remove(expired);
        }

        var beingAdmitted = admitting.Count(a => a.Key != jobId && a.Value.KeyId == owner);
        var others = s.JobKeys
            .Where(j => j.Value == owner && j.Key != jobId && started.Contains(j.Key) && !admitting.ContainsKey(j.Key))
            .Select(j => GrainFactory.GetGrain<IMiningJobGrain>(j.Key).GetStatus());
        var statuses = await Task.WhenAll(others);
        var running = beingAdmitted + statuses.Count(status => status.State is JobState.Running or JobState.Assembling);
        if (running >= maxRunning)
        {
            return new JobAdmission(false, running);
        }

        admitting[jobId] = (owner, now + AdmissionLifetime);
        if (!s.JobKeys.TryGetValue(jobId, out var recorded) || recorded != owner)
        {
            s.JobKeys[jobId] = owner;
            await state.WriteStateAsync();
        }

        return new JobAdmission(true, running);
    }

    /// <inheritdoc />
    public Task EndAdmission(string jobId)
    {
        admitting.Remove(jobId);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public async Task RegisterCodebook(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        var names = state.State.CodebookNames;
        var position = names.BinarySearch(name, StringComparer.Ordinal);
        if (position >= 0)
        {
            return;
        }

        names.Insert(~position, name);
        await state.WriteStateAsync();
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<string>> ListCodebooks() => Task.FromResult<IReadOnlyList<string>>(state.State.CodebookNames.ToArray());
}
