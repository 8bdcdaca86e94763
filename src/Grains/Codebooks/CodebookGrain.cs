using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Mining.Grains.Artifacts;
using Mining.Grains.Contracts;
using Mining.Grains.Execution;
using Mining.Grains.Hosting;
using Mining.Grains.Placement;
using Mining.Kernels.Experiments;
using Mining.Kernels.Pipeline;
using Mining.Probe.Codebooks;
using Orleans.Concurrency;

namespace Mining.Grains.Codebooks;

/// <summary>
/// A named, versioned codebook. Each job adds a version built by <see cref="CodebookAssembler"/> from the
/// previous version and the job's stored results; builds run one after another on the executor's CPU thread, while versions and export chunks
/// answer in between (reentrant). It loads no model, so it lives on a gateway silo when there is one
/// (<see cref="GatewayPreferredPlacementFilterDirector"/>).
/// </summary>
[Reentrant]
[GatewayPreferredPlacementFilter]
public sealed partial class CodebookGrain(
    [PersistentState("codebook", MiningGrainStorage.Name)] IPersistentState<CodebookGrainState> state,
    IArtifactStore store,
    InferenceExecutor executor,
    IOptions<MiningSiloOptions> options,
    ILogger<CodebookGrain> logger) : Grain, ICodebookGrain
{
    private readonly Dictionary<string, Task<CodebookVersionInfo>> building = new(StringComparer.Ordinal);
    private Task lastBuild = Task.CompletedTask;

    private string Name => this.GetPrimaryKeyString();

    /// <inheritdoc />
    public Task<CodebookVersionInfo> AddJob(CodebookJobInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (state.State.Versions.FirstOrDefault(v => v.JobIds[^1] == input.JobId) is { } built)
        {
            return Task.FromResult(built);
        }

        if (building.TryGetValue(input.JobId, out var pending))
        {
            return pending;
        }

        var build = BuildAfterAsync(lastBuild, input);
        lastBuild = CompletionOf(build);
        if (!build.IsCompleted)
        {
            // A build that failed at once has already left; only one in flight is shared with later callers.
            building[input.JobId] = build;
        }

        return build;
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<CodebookVersionInfo>> GetVersions() =>
        Task.FromResult<IReadOnlyList<CodebookVersionInfo>>(state.State.Versions.ToArray());

    /// <inheritdoc />
    public async Task<CodebookExport> OpenExport(int? version)
    {
        var info = Find(version);
        return new CodebookExport(Name, info.Version, await store.LengthAsync(info.ArtifactKey));
    }

    /// <inheritdoc />
    public Task<byte[]> ReadExportChunk(int version, long offset, int count)
    {
        if (count < 1 || count > CodebookExport.MaxChunkBytes)
        {
            throw new ArgumentOutOfRangeException(nameof(count), count, $"an export chunk of codebook '{Name}' is 1 to {CodebookExport.MaxChunkBytes} bytes");
        }

        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        return store.GetRangeAsync(Find(version).ArtifactKey, offset, count);
    }

    /// <summary>The version numbered <paramref name="version"/>, or the latest when null; errors name the codebook and its versions.</summary>
    private CodebookVersionInfo Find(int? version)
    {
        var versions = state.State.Versions;
        if (versions.Count == 0)
        {
            throw new KeyNotFoundException($"codebook '{Name}' has no versions yet");
        }

        return version is null
            ? versions[^1]
            : versions.FirstOrDefault(v => v.Version == version)
                ?? throw new ArgumentOutOfRangeException(nameof(version), version, $"codebook '{Name}' has versions 1 to {versions[^1].Version}");
    }

    private static async Task CompletionOf(Task build)
    {
        try
        {
            await build;
        }
        catch (Exception)
        {
            // The caller of AddJob sees the failure; the next build only needs to know this one is over.
        }
    }

    private async Task<CodebookVersionInfo> BuildAfterAsync(Task previousBuild, CodebookJobInput input)
    {
        await previousBuild;
        try
        {
            return await BuildAsync(input);
        }
        finally
        {
            building.Remove(input.JobId);
        }
    }

    private async Task<CodebookVersionInfo> BuildAsync(CodebookJobInput input)
    {
        if (!SafeName.IsValid(Name))
        {
            throw new ArgumentException($"CodebookName: {SafeName.Problem(Name)}", "CodebookName");
        }

        var jobId = input.JobId;
        if (!SafeName.IsValid(jobId))
        {
            throw new ArgumentException($"JobId: {SafeName.Problem(jobId)}", nameof(input.JobId));
        }

        if (input.ImageCount < 1)
        {
            throw new ArgumentException($"ImageCount: job '{jobId}' has {input.ImageCount} images", nameof(input.ImageCount));
        }

        var versions = state.State.Versions;
        var previous = versions.Count == 0 ? null : versions[^1];
        if (previous is not null && previous.HiddenSize != input.HiddenSize)
        {
            throw new ArgumentException(
                $"HiddenSize: job '{jobId}' mined {input.HiddenSize}-dimensional tokens but codebook '{Name}' holds {previous.HiddenSize}-dimensional prototypes",
                nameof(input.HiddenSize));
        }

        if (previous is not null && previous.Model != input.ModelId)
        {
            throw new ArgumentException(
                $"ModelId: job '{jobId}' mined model '{input.ModelId}' but codebook '{Name}' holds prototypes of '{previous.Model}'",
                nameof(input.ModelId));
        }

        // Reading is I/O and stays here; decoding, clustering and encoding go to the executor.
        var resultKeys = Enumerable.Range(0, input.ImageCount).Select(index => ArtifactKeys.ImageResult(jobId, index)).ToArray();
        var resultBytes = await Task.WhenAll(resultKeys.Select(key => store.GetAsync(key)));
        var candidateKeys = (await store.ListAsync(ArtifactKeys.CandidatesPrefix(jobId)))
            .OrderBy(ArtifactKeys.IndexOf)
            .Take(options.Value.ImpactImages)
            .ToArray();
        var candidateBytes = await Task.WhenAll(candidateKeys.Select(key => store.GetAsync(key)));
        var previousBytes = previous is null ? null : await store.GetAsync(previous.ArtifactKey);

        var version = (previous?.Version ?? 0) + 1;
        IReadOnlyList<string> jobIds = [.. previous?.JobIds ?? [], jobId];
        var created = DateTimeOffset.UtcNow;
        var hidden = input.HiddenSize;
        var (build, bytes) = await executor.RunAsync(() =>
        {
            var results = resultBytes.Select((b, i) => ArtifactCodec.DecodeImageResult(b, resultKeys[i])).ToArray();
            var heldOut = candidateBytes.Select((b, i) => ArtifactCodec.DecodeCandidates(b, candidateKeys[i], hidden)).ToArray();
            var parameters = MiningParameters.FromJson(input.ParametersJson);
            var metadata = new CodebookMetadata(input.ModelId, hidden, version, jobIds, parameters.ToJson(), created) { Family = input.Family };
            var built = CodebookAssembler.Assemble(
                previousBytes is null ? null : ArtifactCodec.DecodeCodebook(previousBytes, previous!.ArtifactKey),
                results,
                heldOut.SelectMany(h => h.Embeddings).ToArray(),
                heldOut.Sum(h => h.Count),
                parameters,
                metadata);
            return (built, ArtifactCodec.EncodeCodebook(built.Codebook));
        });

        var key = ArtifactKeys.CodebookVersion(Name, version);
        await store.PutAsync(key, bytes);
        var info = new CodebookVersionInfo(
            Name,
            version,
            jobIds,
            build.Codebook.Count,
            build.Added,
            input.ModelId,
            hidden,
            build.Codebook.Metadata.ParametersJson,
            created.UtcDateTime,
            key,
            build.Statistics);
        versions.Add(info);
        await state.WriteStateAsync();
        executor.Instruments.CodebookBuilt(Name);
        await GrainFactory.GetGrain<IRegistryGrain>(0).RegisterCodebook(Name);
        LogVersionBuilt(logger, Name, version, jobId, info.Prototypes, info.AddedPrototypes);
        return info;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Codebook {Name} v{Version} from job {JobId}: {Prototypes} prototypes ({Added} added)")]
    private static partial void LogVersionBuilt(ILogger logger, string name, int version, string jobId, int prototypes, int added);
}
