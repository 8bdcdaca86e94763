using System.Text.Json;
using Mining.Grains.Contracts;
using Mining.Kernels.Experiments;
using Mining.Kernels.Imaging;

namespace Mining.Silo.Api;

/// <summary>
/// Turns a <see cref="JobRequest"/> into the <see cref="JobSpec"/> the job grain takes, or into every problem
/// found, each keyed and prefixed by the field's name; locations go through the <see cref="LocationPolicy"/>.
/// </summary>
public sealed class JobRequestValidator(LocationPolicy locations, TimeProvider time)
{
    /// <summary>The most images per shard a request may ask for (a shard is one grain's work).</summary>
    public const int MaxImagesPerShard = 100_000;

    /// <summary>The spec, or null with the problems by field.</summary>
    public (JobSpec? Spec, IDictionary<string, string[]> Errors) Validate(JobRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        T? Check<T>(Func<T> check)
        {
            try
            {
                return check();
            }
            catch (JobRequestException e)
            {
                errors[e.Field] = [e.Message];
                return default;
            }
        }

        var id = Check(() => Id(request.Id));
        var images = Check(() => locations.ResolveDataset("images", Required("images", request.Images)));
        var model = Check(() => locations.ResolveModel("model", Required("model", request.Model)));
        var codebook = Check(() => Safe("codebook", Required("codebook", request.Codebook)));
        var preset = Check(() => Preset(request.Preset));
        var parameters = Check(() => Parameters(request.Parameters));
        var aspect = Check(() => Aspect(request.ImageAspect));
        var perShard = Check(() => ImagesPerShard(request.ImagesPerShard));
        var modelId = Check(() => ModelId(request.ModelId, request.Model));
        if (errors.Count > 0)
        {
            return (null, errors);
        }

        var spec = new JobSpec(id!, images!, model!, codebook!, parameters!, request.AllTokens ?? false, aspect, perShard, modelId) { Preset = preset };
        return (spec, errors);
    }

    private string Id(string? id)
    {
        return id is null ? JobIds.New(time.GetUtcNow()) : Safe("id", id);
    }

    private static string Required(string field, string? value) =>
        string.IsNullOrWhiteSpace(value) ? throw new JobRequestException(field, "is required") : value;

    private static string Safe(string field, string value) =>
        SafeName.IsValid(value) ? value : throw new JobRequestException(field, SafeName.Problem(value));

    /// <summary>A known preset's name, or null (the model family's, chosen where the model is read).</summary>
    private static string? Preset(string? preset)
    {
        if (preset is null)
        {
            return null;
        }

        try
        {
            return MiningPreset.Named(preset).Name;
        }
        catch (MiningParameterException e)
        {
            // "--preset: unknown preset …": the field's name comes first already.
            var prefix = e.Option + ": ";
            throw new JobRequestException("preset", e.Message.StartsWith(prefix, StringComparison.Ordinal) ? e.Message[prefix.Length..] : e.Message);
        }
    }

    /// <summary>The parameters given, checked and in canonical form; the preset supplies the rest when the job is validated.</summary>
    private static string Parameters(JsonElement? parameters)
    {
        if (parameters is not { } element || element.ValueKind == JsonValueKind.Null)
        {
            return "{}";
        }

        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new JobRequestException("parameters", $"must be a JSON object of mining parameters, got {element.ValueKind.ToString().ToLowerInvariant()}");
        }

        try
        {
            return MiningParameters.NormalizeOverrides(element.GetRawText());
        }
        catch (MiningParameterException e)
        {
            // The Kernels name a parameter by its CLI option (--top1-thres); the JSON body names it top1_thres.
            var name = e.Option.TrimStart('-').Replace('-', '_');
            throw new JobRequestException($"parameters.{name}", e.Message.Replace(e.Option, name, StringComparison.Ordinal));
        }
        catch (JsonException e)
        {
            var name = JsonRequestErrors.Field(e.Path, "parameters");
            throw new JobRequestException(name, JsonRequestErrors.Describe(e, typeof(MiningParameters)));
        }
    }

    private static ImageAspect Aspect(string? aspect) =>
        aspect is null ? ImageAspect.Crop
        : ImageAspectNames.TryParse(aspect, out var parsed) ? parsed
        : throw new JobRequestException("imageAspect", ImageAspectNames.Problem(aspect));

    private static int ImagesPerShard(int? imagesPerShard) => imagesPerShard switch
    {
        null => JobSpec.DefaultImagesPerShard,
        >= 1 and <= MaxImagesPerShard => imagesPerShard.Value,
        _ => throw new JobRequestException("imagesPerShard", $"must be between 1 and {MaxImagesPerShard}, got {imagesPerShard}"),
    };

    /// <summary>The model id the codebook records: the request's, else the model folder's name as the caller wrote it (not where links lead).</summary>
    private static string? ModelId(string? modelId, string? model)
    {
        if (modelId is not null)
        {
            return string.IsNullOrWhiteSpace(modelId) ? throw new JobRequestException("modelId", "must not be empty") : modelId;
        }

        if (string.IsNullOrWhiteSpace(model))
        {
            return null;
        }

        var name = model.TrimEnd('/', '\\');
        var slash = name.LastIndexOfAny(['/', '\\']);
        name = slash < 0 ? name : name[(slash + 1)..];
        return name.Length == 0 ? null : name;
    }
}
