using Mining.Kernels.Checkpoints;
using Mining.Kernels.Imaging;
using Mining.Kernels.Runtime;
using Mining.Kernels.Text;
using TorchSharp;
using static TorchSharp.torch;

namespace Mining.Kernels.Model;

/// <summary>
/// A loaded LLaVA checkpoint ready for experiments: encodes images into visual tokens and returns the
/// first-answer-token logits of prompts whose image slot holds any sequence of visual tokens or pad embeddings.
/// Owns the model's weights and the cached prompt embeddings.
/// </summary>
public sealed class LlavaRuntime : IDisposable
{
    /// <summary>Index that stands for the pad embedding in a variant (see <see cref="FirstTokenLogits"/>).</summary>
    public const int PadSlot = Experiments.VisualVariant.Pad;

    /// <summary>Longest padded sequence a batch may hold, as a multiple of its shortest one.</summary>
    public const double MaxPaddingRatio = 1.25;

    private readonly LlavaForConditionalGeneration model;
    private readonly Tensor prefixEmbeddings;
    private readonly Tensor suffixEmbeddings;
    private readonly Dictionary<int, Tensor> padEmbeddings = [];
    private readonly Lock gate = new();

    private LlavaRuntime(string directory, LlavaConfig config, LlavaForConditionalGeneration model, LlamaTextTokenizer tokenizer, PromptIds prompt, PreprocessorConfig preprocessor, Device device, ScalarType dtype, int maxBatchTokens)
    {
        Directory = directory;
        Config = config;
        this.model = model;
        Tokenizer = tokenizer;
        Prompt = prompt;
        Preprocessor = preprocessor;
        Device = device;
        DType = dtype;
        MaxBatchTokens = maxBatchTokens;
        using var noGrad = torch.no_grad();
        prefixEmbeddings = EmbedIds(prompt.PrefixIds);
        suffixEmbeddings = EmbedIds(prompt.SuffixIds);
    }

    /// <summary>The checkpoint directory.</summary>
    public string Directory { get; }

    /// <summary>The checkpoint's configuration.</summary>
    public LlavaConfig Config { get; }

    /// <summary>The text tokenizer.</summary>
    public LlamaTextTokenizer Tokenizer { get; }

    /// <summary>Prompt ids around the image slot.</summary>
    public PromptIds Prompt { get; }

    /// <summary>The image processor settings of the checkpoint.</summary>
    public PreprocessorConfig Preprocessor { get; }

    /// <summary>The device the model runs on.</summary>
    public Device Device { get; }

    /// <summary>The compute dtype.</summary>
    public ScalarType DType { get; }

    /// <summary>Upper bound on batch × padded length per forward call.</summary>
    public int MaxBatchTokens { get; }

    /// <summary>Side of the visual token grid.</summary>
    public int Grid => Config.Vision.GridSize;

    /// <summary>Visual tokens per image.</summary>
    public int VisualTokenCount => Grid * Grid;

    /// <summary>Number of forward calls made so far (for benchmarks).</summary>
    public long ForwardCalls { get; private set; }

    /// <summary>Loads a Hugging Face LLaVA checkpoint directory; a missing or inconsistent file raises <see cref="CheckpointException"/> naming it.</summary>
    public static LlavaRuntime Load(string modelDirectory, RuntimeOptions? options = null, PromptTemplate? template = null, int maxBatchTokens = 8192)
    {
        options ??= RuntimeOptions.Cpu;
        if (maxBatchTokens < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(maxBatchTokens), $"max batch tokens must be positive, got {maxBatchTokens}");
        }

        var files = CheckpointFiles.Locate(modelDirectory);
        var (device, dtype) = TorchRuntime.Resolve(options);
        var config = LlavaConfig.Load(files.Config);
        var preprocessor = PreprocessorConfig.Load(files.Preprocessor);
        var tokenizer = LlamaTextTokenizer.Load(modelDirectory);
        var prompt = PromptBuilder.Build(tokenizer, template ?? PromptTemplate.Llava15);
        if (prompt.PrefixIds.Concat(prompt.SuffixIds).Any(id => id >= config.Text.VocabSize))
        {
            throw new CheckpointException($"{files.Tokenizer}: the tokenizer produces ids beyond the model's vocabulary ({config.Text.VocabSize}, config.json text_config.vocab_size)");
        }

        var model = new LlavaForConditionalGeneration(config);
        try
        {
            using (var weights = CheckpointWeights.Open(modelDirectory))
            {
                weights.Validate(config);
                CopyWeights(model, weights, config);
            }

            model.to(device, dtype);
            model.eval();
            return new LlavaRuntime(Path.GetFullPath(modelDirectory), config, model, tokenizer, prompt, preprocessor, device, dtype, maxBatchTokens);
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    /// <summary>Runs the vision tower and projector on pixel values [3, H, W] (CHW float32).</summary>
    public EncodedImage Encode(float[] pixelValues)
    {
        var size = Config.Vision.ImageSize;
        if (pixelValues.Length != 3 * size * size)
        {
            throw new ArgumentException($"pixel values must be 3×{size}×{size} = {3 * size * size} floats for this checkpoint, got {pixelValues.Length}", nameof(pixelValues));
        }

        lock (gate)
        {
            using var noGrad = torch.no_grad();
            using var scope = torch.NewDisposeScope();
            var pixels = torch.tensor(pixelValues, [1, 3, size, size], device: Device).to(DType);
            var features = model.VisionTower.forward(pixels);
            var similarity = nn.functional.cosine_similarity(features.Patches[0], features.Cls, dim: -1)
                .to(ScalarType.Float32).cpu().data<float>().ToArray();
            var tokens = model.Projector.forward(features.Patches[0]).MoveToOuterDisposeScope();
            return new EncodedImage(tokens, similarity, Grid);
        }
    }

    /// <summary>First-answer-token logits with all of the image's visual tokens in the image slot.</summary>
    public float[] BaselineLogits(EncodedImage image) =>
        FirstTokenLogits(image, [Enumerable.Range(0, image.TokenCount).ToArray()], padTokenId: 0)[0];

    /// <summary>
    /// First-answer-token logits for each variant: a variant lists, in order, the visual tokens of
    /// <paramref name="image"/> to put in the image slot, with <see cref="PadSlot"/> for the input embedding
    /// of <paramref name="padTokenId"/>. Variants run in batches of at most <see cref="MaxBatchTokens"/> padded
    /// tokens; results come back in the variants' order.
    /// </summary>
    public float[][] FirstTokenLogits(EncodedImage image, IReadOnlyList<int[]> variants, int padTokenId)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(variants);
        foreach (var variant in variants)
        {
            foreach (var slot in variant)
            {
                if (slot != PadSlot && (slot < 0 || slot >= image.TokenCount))
                {
                    throw new ArgumentOutOfRangeException(nameof(variants), $"variant refers to visual token {slot}; the image has {image.TokenCount}");
                }
            }
        }

        var results = new float[variants.Count][];
        var fixedLength = (int)(prefixEmbeddings.shape[0] + suffixEmbeddings.shape[0]);
        // Sorting by length keeps batches dense; the stable order keeps results reproducible.
        var order = Enumerable.Range(0, variants.Count).OrderBy(i => variants[i].Length).ToArray();
        lock (gate)
        {
            using var noGrad = torch.no_grad();
            var pad = PadEmbedding(padTokenId);
            var start = 0;
            while (start < order.Length)
            {
                // A batch grows while it fits the token budget and padding stays small: sequences are sorted
                // by length, so the last one sets the padded length and the first one the shortest.
                var shortest = fixedLength + variants[order[start]].Length;
                var end = start + 1;
                while (end < order.Length)
                {
                    var padded = fixedLength + variants[order[end]].Length;
                    if ((end - start + 1) * padded > MaxBatchTokens || padded > shortest * MaxPaddingRatio)
                    {
                        break;
                    }

                    end++;
                }

                RunBatch(image, variants, order[start..end], pad, results);
                start = end;
            }
        }

        return results;
    }

    /// <summary>The input embedding of <paramref name="padTokenId"/> (row of <c>embed_tokens</c>), cached.</summary>
    public Tensor PadEmbedding(int padTokenId)
    {
        if (padTokenId < 0 || padTokenId >= Config.Text.VocabSize)
        {
            throw new ArgumentOutOfRangeException(nameof(padTokenId), $"pad token id {padTokenId} is outside the vocabulary (0..{Config.Text.VocabSize - 1})");
        }

        lock (padEmbeddings)
        {
            if (!padEmbeddings.TryGetValue(padTokenId, out var embedding))
            {
                using var noGrad = torch.no_grad();
                embedding = EmbedIds([padTokenId]);
                padEmbeddings[padTokenId] = embedding;
            }

            return embedding;
        }
    }

    /// <summary>Releases the weights and cached embeddings.</summary>
    public void Dispose()
    {
        prefixEmbeddings.Dispose();
        suffixEmbeddings.Dispose();
        foreach (var embedding in padEmbeddings.Values)
        {
            embedding.Dispose();
        }

        model.Dispose();
    }

    private void RunBatch(EncodedImage image, IReadOnlyList<int[]> variants, int[] members, Tensor pad, float[][] results)
    {
        using var scope = torch.NewDisposeScope();
        var table = torch.cat([image.VisualTokens, pad], dim: 0); // row N is the pad embedding
        var lengths = new int[members.Length];
        var sequences = new Tensor[members.Length];
        for (var b = 0; b < members.Length; b++)
        {
            var variant = variants[members[b]];
            var index = torch.tensor(variant.Select(slot => slot == PadSlot ? (long)image.TokenCount : slot).ToArray(), device: Device);
            var visual = table.index_select(0, index);
            sequences[b] = torch.cat([prefixEmbeddings, visual, suffixEmbeddings], dim: 0);
            lengths[b] = (int)sequences[b].shape[0];
        }

        var longest = lengths.Max();
        var padded = sequences.Select(s => s.shape[0] == longest
            ? s
            : torch.cat([s, torch.zeros([longest - s.shape[0], s.shape[1]], dtype: s.dtype, device: s.device)], dim: 0));
        var batch = torch.stack(padded);
        var logits = model.LanguageModel.LastPositionLogits(batch, lengths).to(ScalarType.Float32).cpu();
        ForwardCalls++;
        var vocab = (int)logits.shape[1];
        var flat = logits.contiguous().data<float>().ToArray();
        for (var b = 0; b < members.Length; b++)
        {
            results[members[b]] = flat.AsSpan(b * vocab, vocab).ToArray();
        }
    }

    private Tensor EmbedIds(int[] ids)
    {
        using var scope = torch.NewDisposeScope();
        var index = torch.tensor(ids.Select(i => (long)i).ToArray(), device: Device);
        return model.LanguageModel.Embed(index).MoveToOuterDisposeScope();
    }

    private static void CopyWeights(LlavaForConditionalGeneration model, CheckpointWeights weights, LlavaConfig config)
    {
        using var noGrad = torch.no_grad();
        const string embedName = "language_model.model.embed_tokens.weight";
        const string headName = "language_model.lm_head.weight";
        foreach (var (name, parameter) in model.named_parameters())
        {
            parameter.requires_grad = false;
            var source = name == headName && config.Text.TieWordEmbeddings && !weights.Contains(headName) ? embedName : name;
            using var value = weights.Read(source);
            if (!value.shape.SequenceEqual(parameter.shape))
            {
                throw new CheckpointException($"{weights.FileOf(source)}: tensor '{source}' has shape [{string.Join(", ", value.shape)}], the config needs [{string.Join(", ", parameter.shape)}]");
            }

            parameter.copy_(value);
        }
    }
}
