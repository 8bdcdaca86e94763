using System.Text.Json;
using Mining.Client.Api;
using Mining.Grains.Contracts;
using Mining.Kernels.Imaging;
using Mining.Silo.Api;

namespace Mining.Client.Commands;

/// <summary>
/// The jobs of a cluster reached through its gateway's HTTP API (<c>--api</c>). Statuses come back as the Orleans path
/// gives them, so the verbs print the same text and JSON either way.
/// </summary>
internal sealed class ApiJobClient(GatewayClient gateway) : IJobClient
{
    /// <summary>The API's spec fields with the option a user gives each as.</summary>
    private static readonly (string Field, string Option)[] FieldOptions =
    [
        ("id", "--job-id"),
        ("images", "--images"),
        ("model", "--model"),
        ("codebook", "--codebook"),
        ("imagesPerShard", "--images-per-shard"),
        ("imageAspect", "--image-aspect"),
        ("modelId", "--model-id"),
        ("preset", "--preset"),
    ];

    /// <inheritdoc />
    public string Description => $"the gateway at {gateway.BaseUrl}";

    /// <inheritdoc />
    public bool IsEmbedded => false;

    /// <inheritdoc />
    public async Task<JobStatus> SubmitAsync(JobSpec spec, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(spec);
        using var parameters = JsonDocument.Parse(spec.ParametersJson);
        var request = new JobRequest(
            spec.JobId,
            spec.Images,
            spec.Model,
            spec.CodebookName,
            parameters.RootElement.Clone(),
            spec.AllTokens,
            ImageAspectNames.Name(spec.ImageAspect),
            spec.ImagesPerShard,
            spec.ModelId,
            spec.Preset);
        try
        {
            return StatusOf(await gateway.SubmitAsync(request, cancellation));
        }
        catch (ArgumentException refused)
        {
            throw InOptionTerms(refused);
        }
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<JobStatus>> ListAsync(CancellationToken cancellation)
    {
        // The list holds no shards; each job's own status does, as 'jobs list' prints over Orleans.
        var jobs = await gateway.ListAsync(cancellation);
        var statuses = new List<JobStatus>(jobs.Count);
        foreach (var job in jobs)
        {
            statuses.Add(await StatusAsync(job.Id, cancellation));
        }

        return statuses;
    }

    /// <inheritdoc />
    public async Task<JobStatus> StatusAsync(string jobId, CancellationToken cancellation) => StatusOf(await gateway.JobAsync(jobId, cancellation));

    /// <inheritdoc />
    public async Task<JobStatus> CancelAsync(string jobId, CancellationToken cancellation) => StatusOf(await gateway.CancelAsync(jobId, cancellation));

    /// <inheritdoc />
    public async Task<JobStatus> ResumeAsync(string jobId, CancellationToken cancellation) => StatusOf(await gateway.ResumeAsync(jobId, cancellation));

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        gateway.Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>The grain's status that <paramref name="view"/> shows.</summary>
    public static JobStatus StatusOf(JobView view)
    {
        ArgumentNullException.ThrowIfNull(view);
        var shards = view.Shards.Select(s => new ShardStatus(
            s.Index,
            s.State,
            s.Images,
            s.Done,
            s.Failed,
            view.Failures.Where(f => f.Shard == s.Index).Select(f => new ImageFailureInfo(f.ImageId, f.Reason)).ToArray(),
            s.Silo,
            s.Error,
            s.Attempts) { VariantsScored = s.VariantsScored }).ToArray();
        return new JobStatus(view.Id, view.State, view.Codebook, view.Images, view.Done, view.Failed, shards, view.StartedUtc, view.FinishedUtc, view.CodebookVersion, view.Error, view.Statistics)
        {
            JobSilo = view.JobSilo,
            CodebookSilo = view.CodebookSilo,
        };
    }

    /// <summary>A refused spec's message with the API's field name ("images: …") replaced by the option's ("--images: …").</summary>
    private static ArgumentException InOptionTerms(ArgumentException refused)
    {
        var message = refused.Message;
        foreach (var (field, option) in FieldOptions)
        {
            if (message.StartsWith(field + ":", StringComparison.Ordinal))
            {
                return new ArgumentException(option + message[field.Length..], refused);
            }
        }

        return refused;
    }
}
