using Mining.Kernels.Experiments;
using Mining.Kernels.Model;
using TorchSharp;
using static TorchSharp.torch;

namespace Mining.Benchmarks;

/// <summary>
/// The paper's scripts' schedule, written plainly for comparison only. Per variant, as their
/// <c>model.generate(input_ids, images=…, max_new_tokens=8)</c> does: the image goes through the vision tower and
/// projector again (LLaVA's generate encodes the images it is given), the whole prompt runs at batch size 1 with
/// logits at every position, then greedy generation continues to <see cref="NewTokens"/> tokens — each later step
/// one position on the key/value cache of the sequence so far, as HF's generate does by default, stopping early at
/// <c>&lt;/s&gt;</c>. The first token's logits are returned, or, as the reference's caption script keeps them, the
/// second's when the first token is a skip token (MODELS.md, "The measured logits").
/// </summary>
public sealed class ReferenceSchedule
{
    /// <summary>New tokens the reference scripts generate per variant.</summary>
    public const int DefaultNewTokens = 8;

    private readonly LlavaRuntime runtime;

    /// <summary>Uses <paramref name="runtime"/>'s model and prompt.</summary>
    public ReferenceSchedule(LlavaRuntime runtime, int newTokens = DefaultNewTokens)
    {
        ArgumentNullException.ThrowIfNull(runtime);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(newTokens);
        this.runtime = runtime;
        NewTokens = newTokens;
    }

    /// <summary>Tokens generated per variant (the first one's logits are the result).</summary>
    public int NewTokens { get; }

    /// <summary>Images encoded so far (one per variant).</summary>
    public long Encodes { get; private set; }

    /// <summary>The first step of every variant so far: its whole prompt, with the LM head at every position.</summary>
    public ForwardWork PrefillWork { get; private set; } = ForwardWork.None;

    /// <summary>The generation steps after the first so far, one position each.</summary>
    public ForwardWork DecodeWork { get; private set; } = ForwardWork.None;

    /// <summary>Everything the language model computed so far.</summary>
    public ForwardWork Work => PrefillWork + DecodeWork;

    /// <summary>
    /// The first generated token's logits for each variant of the image with <paramref name="pixelValues"/> [3, H, W],
    /// in order (see <see cref="LlavaRuntime.FirstTokenLogits(EncodedImage, IReadOnlyList{int[]}, int)"/> for what a variant is).
    /// </summary>
    public float[][] FirstTokenLogits(float[] pixelValues, IReadOnlyList<int[]> variants, int padTokenId) =>
        Measure(pixelValues, variants, padTokenId, []).Select(m => m.Logits).ToArray();

    /// <summary>
    /// The measured logits of each variant, in order: the first generated token's logits, or the second's when the
    /// first token is one of <paramref name="skipTokenIds"/> (generation then runs at least that second step).
    /// </summary>
    public MeasuredLogits[] Measure(float[] pixelValues, IReadOnlyList<int[]> variants, int padTokenId, IReadOnlyList<int> skipTokenIds)
    {
        ArgumentNullException.ThrowIfNull(pixelValues);
        ArgumentNullException.ThrowIfNull(variants);
        ArgumentNullException.ThrowIfNull(skipTokenIds);
        var pad = runtime.PadEmbedding(padTokenId);
        return variants.Select(variant => Generate(pixelValues, variant, pad, skipTokenIds)).ToArray();
    }

    /// <summary>Variants whose first generated token was a skip token so far.</summary>
    public long LeadSkips { get; private set; }

    /// <summary>This schedule as the experiments' scorer for one image, skipping a leading token among <paramref name="skipTokenIds"/> (none: the first token's logits).</summary>
    public IVariantScorer ScorerFor(float[] pixelValues, int padTokenId, IReadOnlyList<int>? skipTokenIds = null) =>
        new ImageScorer(this, pixelValues, padTokenId, skipTokenIds ?? []);

    private MeasuredLogits Generate(float[] pixelValues, int[] variant, Tensor pad, IReadOnlyList<int> skipTokenIds)
    {
        using var image = runtime.Encode(pixelValues);
        Encodes++;
        if (variant.Any(slot => slot != VisualVariant.Pad && (slot < 0 || slot >= image.TokenCount)))
        {
            throw new ArgumentOutOfRangeException(nameof(variant), $"a variant refers to a visual token outside the image's {image.TokenCount}");
        }

        lock (runtime.Gate)
        {
            using var noGrad = torch.no_grad();
            using var scope = torch.NewDisposeScope();
            var model = runtime.LanguageModel;
            var table = torch.cat([image.VisualTokens, pad], dim: 0); // row N is the pad embedding
            var slots = torch.tensor(variant.Select(slot => slot == VisualVariant.Pad ? (long)image.TokenCount : slot).ToArray(), device: runtime.Device);
            var prompt = torch.cat([runtime.PrefixEmbeddings, table.index_select(0, slots), runtime.SuffixEmbeddings], dim: 0).unsqueeze(0);
            var length = (int)prompt.shape[1];

            var output = model.Forward(prompt, [length], keepKeyValues: true);
            var cache = output.Cache!;
            try
            {
                var logits = model.Logits(output.Hidden); // every position, as generate's first step computes them
                PrefillWork += ForwardWork.OfCall(model.LayerCount, [length], length, 0, length);
                var measured = new MeasuredLogits(logits[0, length - 1].to(ScalarType.Float32).cpu().data<float>().ToArray(), false);
                var token = logits[0, length - 1].argmax().item<long>();
                // The reference's caption script drops the first step once if its token is "▁A" (an if, not a loop).
                var skipping = skipTokenIds.Contains((int)token);
                for (var step = 1; (step < NewTokens && token != runtime.Tokenizer.EosId) || (step == 1 && skipping); step++)
                {
                    var next = model.Embed(torch.tensor([token], device: runtime.Device)).unsqueeze(0);
                    var stepOutput = model.Forward(next, [1], cache, keepKeyValues: true);
                    DecodeWork += ForwardWork.OfCall(model.LayerCount, [1], 1, cache.Length, 1);
                    cache.Dispose();
                    cache = stepOutput.Cache!;
                    var stepLogits = model.Logits(stepOutput.Hidden)[0, 0];
                    if (step == 1 && skipping)
                    {
                        measured = new MeasuredLogits(stepLogits.to(ScalarType.Float32).cpu().data<float>().ToArray(), true);
                        LeadSkips++;
                    }

                    token = stepLogits.argmax().item<long>();
                }

                return measured;
            }
            finally
            {
                cache.Dispose();
            }
        }
    }

    private sealed class ImageScorer(ReferenceSchedule schedule, float[] pixelValues, int padTokenId, IReadOnlyList<int> skipTokenIds) : IVariantScorer
    {
        public MeasuredLogits[] Measure(IReadOnlyList<int[]> variants) => schedule.Measure(pixelValues, variants, padTokenId, skipTokenIds);
    }
}
