using Mining.Grains.Contracts;
using Mining.Kernels.Checkpoints;
using Mining.Kernels.Datasets;
using Mining.Kernels.Experiments;
using Mining.Kernels.Imaging;
using Mining.Kernels.IO;
using Mining.Kernels.Model;
using Mining.Kernels.Text;

namespace Mining.Grains.Jobs;

/// <summary>
/// Checks a <see cref="JobSpec"/> before any work: every problem raises <see cref="ArgumentException"/> whose message
/// starts with the field's name. Reads the dataset listing and the model's config, so run it on the executor. The
/// parameters are resolved here, where the model is read: the named preset, or the model family's, under the explicit values.
/// The dataset, every image it lists and every file of the model folder must lie inside the silo's
/// <see cref="AllowedRoots"/>, whichever port the spec came through; the files are checked again when they are opened.
/// </summary>
public static class JobSpecValidator
{
    /// <summary>Validates <paramref name="spec"/> for the job grain keyed <paramref name="jobId"/> and cuts it into shards.</summary>
    public static ValidatedJob Validate(JobSpec spec, string jobId, AllowedRoots roots)
    {
        ArgumentNullException.ThrowIfNull(roots);
        ArgumentNullException.ThrowIfNull(spec);
        if (spec.JobId != jobId)
        {
            throw Invalid(nameof(JobSpec.JobId), $"'{spec.JobId}' was sent to the job grain '{jobId}'");
        }

        if (!SafeName.IsValid(spec.JobId))
        {
            throw Invalid(nameof(JobSpec.JobId), SafeName.Problem(spec.JobId));
        }

        if (!SafeName.IsValid(spec.CodebookName))
        {
            throw Invalid(nameof(JobSpec.CodebookName), SafeName.Problem(spec.CodebookName));
        }

        if (spec.ImagesPerShard < 1)
        {
            throw Invalid(nameof(JobSpec.ImagesPerShard), $"must be at least 1, got {spec.ImagesPerShard}");
        }

        if (!Enum.IsDefined(spec.ImageAspect))
        {
            throw Invalid(nameof(JobSpec.ImageAspect), ImageAspectNames.Problem(spec.ImageAspect.ToString()));
        }

        MiningPreset? named = null;
        if (spec.Preset is { } preset)
        {
            try
            {
                named = MiningPreset.Named(preset);
            }
            catch (MiningParameterException e)
            {
                throw Invalid(nameof(JobSpec.Preset), e.Message);
            }
        }

        try
        {
            MiningParameters.NormalizeOverrides(spec.ParametersJson ?? throw new ArgumentException("missing"));
        }
        catch (Exception e) when (e is ArgumentException or System.Text.Json.JsonException)
        {
            throw Invalid(nameof(JobSpec.ParametersJson), e.Message);
        }

        int hidden;
        ModelFamily family;
        try
        {
            roots.CheckFolder(spec.Model ?? throw new CheckpointException("missing"));
            var files = CheckpointFiles.Locate(spec.Model);
            if (Path.GetFileName(files.Weights) == CheckpointFiles.WeightsIndexFile)
            {
                // Every shard the index names is a file of this folder, inside the roots, there now.
                foreach (var shard in CheckpointWeights.ShardNames(files.Weights))
                {
                    roots.Resolve(Path.Combine(files.Directory, shard));
                }
            }

            var config = LlavaConfig.Load(files.Config);
            hidden = config.Text.HiddenSize;
            family = ModelFamily.Of(config);
        }
        catch (Exception e) when (e is CheckpointException or IOException or UnauthorizedAccessException or ArgumentException or System.Text.Json.JsonException)
        {
            throw Invalid(nameof(JobSpec.Model), e.Message);
        }

        // The preset's values under the explicit ones; the tokenizer is read only for a pad token or a skip list.
        MiningParameters parameters;
        ITextTokenizer? tokenizer = null;
        ITextTokenizer Tokenizer() => tokenizer ??= ITextTokenizer.Load(spec.Model, family.Tokenizer);
        try
        {
            parameters = (named ?? MiningPreset.DefaultFor(family)).Resolve(spec.ParametersJson, Tokenizer);
            if (parameters.SkipLeadingTokens.Count > 0)
            {
                SkipLeadingTokenIds.Resolve(Tokenizer(), parameters.SkipLeadingTokens);
            }
        }
        catch (MiningParameterException e)
        {
            throw Invalid(e.Option == "--preset" ? nameof(JobSpec.Preset) : nameof(JobSpec.ParametersJson), e.Message);
        }
        catch (Exception e) when (e is TokenizerException or IOException or UnauthorizedAccessException)
        {
            throw Invalid(nameof(JobSpec.Model), e.Message);
        }

        var modelId = CheckpointModelId.Resolve(spec.Model, spec.ModelId).Id;
        if (string.IsNullOrWhiteSpace(modelId))
        {
            throw Invalid(nameof(JobSpec.ModelId), "must not be empty");
        }

        ImageDataset dataset;
        try
        {
            dataset = ImageDataset.Open(spec.Images ?? throw new ArgumentException("missing"), roots);
        }
        catch (DatasetException e) when (e.InnerException is InputFileException refused)
        {
            throw Invalid(nameof(JobSpec.Images), $"'{spec.Images}' {refused.Problem}");
        }
        catch (Exception e) when (e is DatasetException or ArgumentException or IOException or UnauthorizedAccessException)
        {
            throw Invalid(nameof(JobSpec.Images), e.Message);
        }

        var parametersJson = parameters.ToJson();
        var assignments = dataset.Images
            .Select((image, index) => new ShardImage(index, image.ImageId, image.Path))
            .Chunk(spec.ImagesPerShard)
            .Select((images, shard) => new ShardAssignment(spec.JobId, shard, images, spec.Model, parametersJson, spec.AllTokens, spec.ImageAspect))
            .ToArray();
        return new ValidatedJob(assignments, dataset.Images.Count, modelId, hidden, parametersJson, family.Name);
    }

    private static ArgumentException Invalid(string field, string problem) => new($"{field}: {problem}", field);
}
