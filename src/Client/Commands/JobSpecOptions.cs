using System.CommandLine;
using System.Text.RegularExpressions;
using Mining.Grains.Contracts;

namespace Mining.Client.Commands;

/// <summary>The options that describe a mining job (<c>mine</c>, <c>jobs submit</c>) and the <see cref="JobSpec"/> they make.</summary>
internal sealed partial class JobSpecOptions
{
    /// <summary>The spec's field names as the grains report them, with the option a user gives each as.</summary>
    private static readonly (string Field, string Option)[] FieldOptions =
    [
        (nameof(JobSpec.JobId), "--job-id"),
        (nameof(JobSpec.Images), "--images"),
        (nameof(JobSpec.Model), "--model"),
        (nameof(JobSpec.CodebookName), "--codebook"),
        (nameof(JobSpec.ImagesPerShard), "--images-per-shard"),
        (nameof(JobSpec.ImageAspect), "--image-aspect"),
        (nameof(JobSpec.ModelId), "--model-id"),
        (nameof(JobSpec.ParametersJson), "parameters"),
        (nameof(JobSpec.Preset), "--preset"),
    ];

    public Option<string> Images { get; } = new("--images")
    {
        Description = "A folder of images, or a manifest: CSV or JSONL with image_id and path (relative paths resolve against the manifest's folder). The silos read it: with --cluster it must be a path they see.",
        Required = true,
    };

    public Option<string> Model { get; } = new("--model")
    {
        Description = "Checkpoint directory (Hugging Face LLaVA layout), read by the silos.",
        Required = true,
    };

    public Option<string?> ModelId { get; } = new("--model-id") { Description = "Model id recorded in the codebook (default: the model directory's name)." };

    public Option<bool> AllTokens { get; } = new("--all-tokens") { Description = "Evaluate every visual token instead of the reference's candidate ranks." };

    public Option<string> Aspect { get; } = ImageAspectOption.Create();

    public Option<string?> JobId { get; } = new("--job-id")
    {
        Description = "The job's id: letters, digits, '.', '_', '-' (default: a new one). Submitting an id again never runs the job twice.",
    };

    public Option<string?> Codebook { get; } = new("--codebook")
    {
        Description = "Codebook the job adds a version to (previous prototypes plus the job's, deduplicated). Default: the job id, a codebook of this job alone.",
    };

    public Option<int> ImagesPerShard { get; } = new("--images-per-shard")
    {
        Description = "Images per shard; shards are spread over the worker silos.",
        DefaultValueFactory = _ => JobSpec.DefaultImagesPerShard,
    };

    public MiningParameterOptions Parameters { get; } = new();

    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { Images, Model, ModelId, AllTokens, Aspect, JobId, Codebook, ImagesPerShard })
        {
            command.Options.Add(option);
        }

        Parameters.AddTo(command);
    }

    /// <summary>
    /// The spec: the preset's name and the parameter options given, checked here (the silos resolve the preset where
    /// they read the model); paths made absolute (silos resolve them, not this folder); blob URIs stay as given.
    /// </summary>
    public JobSpec Read(ParseResult result)
    {
        var preset = Parameters.NamedPreset(result);
        var overrides = Parameters.OverridesJson(result);
        var jobId = result.GetValue(JobId) ?? JobIds.New(DateTimeOffset.UtcNow);
        return new JobSpec(
            jobId,
            Location(result.GetValue(Images)!),
            Location(result.GetValue(Model)!),
            result.GetValue(Codebook) ?? jobId,
            overrides,
            result.GetValue(AllTokens),
            ImageAspectOption.Read(result, Aspect),
            result.GetValue(ImagesPerShard),
            result.GetValue(ModelId))
        {
            Preset = preset?.Name,
        };
    }

    private static string Location(string given) =>
        Uri.TryCreate(given, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" ? given : Path.GetFullPath(given);

    /// <summary>A refused spec's message with the grains' field name ("Images: …") replaced by the option's ("--images: …").</summary>
    public static ArgumentException InOptionTerms(ArgumentException refused)
    {
        // ArgumentException appends " (Parameter 'Images')", the name of a field the user never typed; its ParamName
        // does not survive the trip from the grain, so the suffix is recognised by its shape.
        var message = ParameterSuffix().Replace(refused.Message, "");
        foreach (var (field, option) in FieldOptions)
        {
            if (message.StartsWith(field + ":", StringComparison.Ordinal))
            {
                return new ArgumentException(option + message[field.Length..], refused);
            }
        }

        return refused;
    }

    [GeneratedRegex(@" \(Parameter '[^']*'\)$")]
    private static partial Regex ParameterSuffix();
}
