using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Mining.Grains.Contracts;
using Mining.Silo.Security;

namespace Mining.Silo.Api;

/// <summary>The job endpoints: submit, list, status, cancel, resume.</summary>
public static partial class JobEndpoints
{
    /// <summary>Maps <c>/jobs</c> and below on <paramref name="endpoints"/>.</summary>
    public static RouteGroupBuilder MapJobEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var jobs = endpoints.MapGroup(JobPaths.Jobs).WithTags("Jobs");
        jobs.MapPost("", SubmitAsync)
            .Accepts<JobRequest>("application/json")
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .WithSummary("Submits a mining job")
            .WithDescription("Validates the spec (locations must resolve inside the allowed roots) and starts the job; 202 with its status URL. Sending the same id and spec again returns the job; the same id with another spec is 409. 429 when the key's running jobs are at Mining:Api:Limits:MaxRunningJobsPerKey.");
        jobs.MapGet("", ListAsync).WithSummary("Lists the jobs in submission order");
        jobs.MapGet("/{id}", GetAsync).WithSummary("A job's state, per-shard progress, failures with reasons, images/s and ETA");
        jobs.MapPost("/{id}/cancel", CancelAsync).WithSummary("Cancels a running job (each shard finishes the image in hand); stored results stay");
        jobs.MapPost("/{id}/resume", ResumeAsync)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .WithSummary("Continues a cancelled or failed job without mining stored images again");
        return jobs;
    }

    private static async Task<Results<Accepted<JobAccepted>, ValidationProblem, ProblemHttpResult>> SubmitAsync(
        HttpRequest http,
        JobRequestReader reader,
        JobRequestValidator validator,
        IGrainFactory grains,
        IOptions<MiningApiOptions> options,
        TimeProvider time,
        ILoggerFactory loggers,
        CancellationToken cancellationToken)
    {
        JobRequest? request;
        try
        {
            request = await reader.ReadAsync(http, cancellationToken);
        }
        catch (JobRequestException e)
        {
            return Invalid(e.Field, e.Message);
        }

        if (request is null)
        {
            return TypedResults.Problem(
                statusCode: StatusCodes.Status413PayloadTooLarge,
                title: "The request body is too large",
                detail: $"body: larger than {reader.Limit} bytes ({MiningApiOptions.SectionName}:{nameof(MiningApiOptions.MaxRequestBytes)})");
        }

        var (spec, errors) = validator.Validate(request);
        if (spec is null)
        {
            return TypedResults.ValidationProblem(errors, title: "The job spec is invalid");
        }

        var job = grains.GetGrain<IMiningJobGrain>(spec.JobId);
        var before = await job.GetStatus();

        // Only a job that does not exist yet starts work here: the same id again returns the job or is 409.
        var admitted = before.State == JobState.None ? KeyId(http.HttpContext.User) : null;
        if (admitted is not null && await AdmitAsync(grains, spec.JobId, admitted, options.Value.Limits) is { } refused)
        {
            return refused;
        }

        JobStatus status;
        try
        {
            status = await job.Submit(spec);
        }
        catch (ArgumentException e) when (before.State == JobState.None)
        {
            // The grain checks what only the model and dataset can tell (a missing config, an empty folder).
            var (field, problem) = GrainField(e.Message);
            return Invalid(field, $"{field}: {problem}");
        }
        catch (ArgumentException e)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "The job id is taken", detail: $"id: {e.Message}");
        }
        finally
        {
            if (admitted is not null)
            {
                await EndAdmissionAsync(grains, spec.JobId);
            }
        }

        LogAccepted(loggers.CreateLogger(typeof(JobEndpoints)), spec.JobId, status.Images, spec.CodebookName);
        var url = JobPaths.Job(spec.JobId);
        return TypedResults.Accepted(url, new JobAccepted(spec.JobId, url, JobView.From(status, time.GetUtcNow().UtcDateTime)));
    }

    private static async Task<Ok<JobSummary[]>> ListAsync(IGrainFactory grains, TimeProvider time)
    {
        var ids = await grains.GetGrain<IRegistryGrain>(0).ListJobs();
        var statuses = await Task.WhenAll(ids.Select(id => grains.GetGrain<IMiningJobGrain>(id).GetStatus()));
        var now = time.GetUtcNow().UtcDateTime;
        return TypedResults.Ok(statuses.Select(status => JobSummary.From(status, now)).ToArray());
    }

    private static async Task<Results<Ok<JobView>, NotFound<ProblemDetails>>> GetAsync(string id, IGrainFactory grains, TimeProvider time)
    {
        if (await StatusOf(id, grains) is not { } status)
        {
            return NoSuchJob(id);
        }

        return TypedResults.Ok(JobView.From(status, time.GetUtcNow().UtcDateTime));
    }

    private static async Task<Results<Ok<JobView>, NotFound<ProblemDetails>>> CancelAsync(string id, IGrainFactory grains, TimeProvider time)
    {
        if (await StatusOf(id, grains) is null)
        {
            return NoSuchJob(id);
        }

        var status = await grains.GetGrain<IMiningJobGrain>(id).Cancel();
        return TypedResults.Ok(JobView.From(status, time.GetUtcNow().UtcDateTime));
    }

    private static async Task<Results<Ok<JobView>, NotFound<ProblemDetails>, ProblemHttpResult>> ResumeAsync(
        string id,
        ClaimsPrincipal user,
        IGrainFactory grains,
        IOptions<MiningApiOptions> options,
        TimeProvider time)
    {
        if (await StatusOf(id, grains) is not { } before)
        {
            return NoSuchJob(id);
        }

        // A resumed job runs again, so it needs a place like a new one; resuming anything else changes nothing.
        var admitted = before.State is JobState.Cancelled or JobState.Failed ? KeyId(user) : null;
        if (admitted is not null && await AdmitAsync(grains, id, admitted, options.Value.Limits) is { } refused)
        {
            return refused;
        }

        try
        {
            var status = await grains.GetGrain<IMiningJobGrain>(id).Resume();
            return TypedResults.Ok(JobView.From(status, time.GetUtcNow().UtcDateTime));
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "The job cannot resume", detail: e.Message);
        }
        finally
        {
            if (admitted is not null)
            {
                await EndAdmissionAsync(grains, id);
            }
        }
    }

    /// <summary>Ends an admission; if the registry cannot be told, the admission lapses by itself, and the job's answer stands.</summary>
    private static async Task EndAdmissionAsync(IGrainFactory grains, string jobId)
    {
        try
        {
            await grains.GetGrain<IRegistryGrain>(0).EndAdmission(jobId);
        }
        catch (Exception e) when (e is TimeoutException or OrleansException)
        {
            // RegistryGrain.AdmissionLifetime: until then the key counts the job as starting, which it did or did not.
        }
    }

    /// <summary>The id of the caller's key (never the key); every job endpoint requires one, so null only outside that policy.</summary>
    private static string? KeyId(ClaimsPrincipal user) => user.FindFirst(ApiKeyAuthenticationHandler.KeyIdClaim)?.Value;

    /// <summary>Null when the registry admits the job for <paramref name="keyId"/>; else the 429 that says why.</summary>
    private static async Task<ProblemHttpResult?> AdmitAsync(IGrainFactory grains, string jobId, string keyId, MiningApiLimits limits)
    {
        var admission = await grains.GetGrain<IRegistryGrain>(0).AdmitJob(jobId, keyId, limits.MaxRunningJobsPerKey);
        if (admission.Admitted)
        {
            return null;
        }

        var setting = $"{MiningApiOptions.SectionName}:{MiningApiLimits.SectionName}:{nameof(MiningApiLimits.MaxRunningJobsPerKey)}";
        return TypedResults.Problem(
            statusCode: StatusCodes.Status429TooManyRequests,
            title: "Too many running jobs",
            detail: $"key: {admission.Running} jobs submitted with the same key are running, the most {setting} allows ({limits.MaxRunningJobsPerKey}); wait for one to end or cancel one");
    }

    /// <summary>The job's status, or null when no job has that id (an id no job could have is not asked for).</summary>
    private static async Task<JobStatus?> StatusOf(string id, IGrainFactory grains)
    {
        if (!SafeName.IsValid(id))
        {
            return null;
        }

        var status = await grains.GetGrain<IMiningJobGrain>(id).GetStatus();
        return status.State == JobState.None ? null : status;
    }

    private static NotFound<ProblemDetails> NoSuchJob(string id) =>
        TypedResults.NotFound(new ProblemDetails { Status = StatusCodes.Status404NotFound, Title = "No such job", Detail = $"id: no job '{id}'" });

    private static ValidationProblem Invalid(string field, string message) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] }, title: "The job spec is invalid");

    /// <summary>The request field of a grain's "JobSpecField: problem" message.</summary>
    private static (string Field, string Problem) GrainField(string message)
    {
        var colon = message.IndexOf(": ", StringComparison.Ordinal);
        var name = colon < 0 ? "" : message[..colon];
        var field = name switch
        {
            nameof(JobSpec.JobId) => "id",
            nameof(JobSpec.Images) => "images",
            nameof(JobSpec.Model) => "model",
            nameof(JobSpec.CodebookName) => "codebook",
            nameof(JobSpec.ParametersJson) => "parameters",
            nameof(JobSpec.AllTokens) => "allTokens",
            nameof(JobSpec.ImageAspect) => "imageAspect",
            nameof(JobSpec.ImagesPerShard) => "imagesPerShard",
            nameof(JobSpec.ModelId) => "modelId",
            nameof(JobSpec.Preset) => "preset",
            _ => null,
        };
        return field is null ? ("body", message) : (field, message[(colon + 2)..]);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {JobId} accepted: {Images} images into codebook {Codebook}")]
    private static partial void LogAccepted(ILogger logger, string jobId, int images, string codebook);
}
