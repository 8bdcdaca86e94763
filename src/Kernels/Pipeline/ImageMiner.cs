using Mining.Kernels.Codebooks;
using Mining.Kernels.Datasets;
using Mining.Kernels.Experiments;
using Mining.Kernels.Imaging;
using Mining.Kernels.IO;
using Mining.Kernels.Model;

namespace Mining.Kernels.Pipeline;

/// <summary>
/// Runs the experiments on one image and applies the per-image filter: image → <see cref="ImagePreprocessor"/> →
/// <see cref="LlavaRuntime"/> → <see cref="ImageExperiment"/> → <see cref="ImageTokenFilter"/> → <see cref="ImageResult"/>.
/// An image that cannot be read or decoded becomes a failed result with its reason; it never throws for that. A skip
/// token the checkpoint's tokenizer does not have is refused at construction (<see cref="MiningParameterException"/>).
/// Images are opened as <c>roots</c> allow (anywhere when null): one outside them fails like an unreadable one.
/// </summary>
public sealed class ImageMiner(LlavaRuntime runtime, MiningParameters parameters, CandidateMode candidates, ImageAspect aspect = ImageAspect.Crop, AllowedRoots? roots = null)
{
    private readonly ImagePreprocessor preprocessor = new(runtime.Preprocessor, aspect);
    private readonly int[] skipTokenIds = runtime.SkipTokenIds(parameters.SkipLeadingTokens);

    /// <summary>The parameters in use.</summary>
    public MiningParameters Parameters => parameters;

    /// <summary>Mines one image.</summary>
    public MinedImage Mine(DatasetImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        PreprocessedImage pixels;
        try
        {
            pixels = preprocessor.Preprocess(ImageDecoder.Decode(image.Path, roots));
        }
        catch (ImageDecodeException e)
        {
            return new MinedImage(ImageResult.Failure(image.ImageId, e.Message), [], [], 0);
        }

        using var encoded = runtime.Encode(pixels.PixelValues);
        var hidden = runtime.Config.Text.HiddenSize;
        var candidateTokens = CandidateSelection.TokensByRank(CandidateSelection.Ranks(encoded.TokenCount, candidates), encoded.Ranking.Ranks);
        var scorer = new CountingScorer(new RuntimeVariantScorer(runtime, encoded, parameters.PadTokenId, skipTokenIds));
        var outcome = ImageExperiment.Run(scorer, encoded.Grid, encoded.Ranking, candidateTokens, parameters);

        var tokens = encoded.VisualTokensToArray();
        var candidateEmbeddings = new float[outcome.Tokens.Count * hidden];
        for (var c = 0; c < outcome.Tokens.Count; c++)
        {
            Array.Copy(tokens, outcome.Tokens[c].TokenIndex * hidden, candidateEmbeddings, c * hidden, hidden);
        }

        var kept = ImageTokenFilter.Keep(candidateEmbeddings, outcome.Tokens.Count, hidden, outcome.Tokens.Select(t => t.Redundant).ToArray(), parameters);
        var keptEmbeddings = new float[kept.Count(k => k) * hidden];
        var row = 0;
        for (var c = 0; c < kept.Length; c++)
        {
            if (kept[c])
            {
                Array.Copy(candidateEmbeddings, c * hidden, keptEmbeddings, row++ * hidden, hidden);
            }
        }

        var result = new ImageResult(
            image.ImageId,
            ImageStatus.Ok,
            null,
            encoded.Grid,
            hidden,
            outcome.Tokens.Select((t, c) => new CandidateResult(t, kept[c])).ToArray(),
            keptEmbeddings)
        {
            BaselineLeadSkipped = outcome.BaselineLeadSkipped,
        };
        return new MinedImage(result, candidateEmbeddings, outcome.BaselineLogits, scorer.Variants);
    }

    /// <summary>Counts the variants the experiments send to the model.</summary>
    private sealed class CountingScorer(IVariantScorer inner) : IVariantScorer
    {
        public long Variants { get; private set; }

        public MeasuredLogits[] Measure(IReadOnlyList<int[]> variants)
        {
            Variants += variants.Count;
            return inner.Measure(variants);
        }
    }
}
