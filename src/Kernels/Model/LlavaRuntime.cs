using Mining.Kernels.Checkpoints;
using Mining.Kernels.Experiments;
using Mining.Kernels.Imaging;
using Mining.Kernels.IO;
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
    public const int PadSlot = VisualVariant.Pad;

    private readonly LlavaForConditionalGeneration model;
    private readonly Tensor prefixEmbeddings;
    private readonly Tensor suffixEmbeddings;
    private readonly Dictionary<int, Tensor> padEmbeddings = [];
    private readonly FirstTokenEngine engine;
    private readonly Lock gate = new();

    private LlavaRuntime(string directory, LlavaConfig config, LlavaForConditionalGeneration model, ModelFamily family, ITextTokenizer tokenizer, PromptIds prompt, PreprocessorConfig preprocessor, Device device, ScalarType dtype, int maxBatchTokens, EngineOptions engineOptions)
    {
        Directory = directory;
        Config = config;
        this.model = model;
        Family = family;
        Tokenizer = tokenizer;
        Prompt = prompt;
        Preprocessor = preprocessor;
        Device = device;
        DType = dtype;
        using var noGrad = torch.no_grad();
        prefixEmbeddings = EmbedIds(prompt.PrefixIds);
        suffixEmbeddings = EmbedIds(prompt.SuffixIds);
        if (maxBatchTokens == 0)
        {
            var longest = prompt.PrefixIds.Length + config.Vision.GridSize * config.Vision.GridSize + prompt.SuffixIds.Length;
            maxBatchTokens = BatchBudget.FromMemory(config.Text, longest, BatchBudget.FreeBytes(device), dtype == ScalarType.Float32 ? 4 : 2);
        }

        MaxBatchTokens = maxBatchTokens;
        engine = new FirstTokenEngine(model.LanguageModel, prefixEmbeddings, suffixEmbeddings, PadEmbedding, maxBatchTokens, engineOptions);
    }

    /// <summary>The checkpoint directory.</summary>
    public string Directory { get; }

    /// <summary>The checkpoint's configuration.</summary>
    public LlavaConfig Config { get; }

    /// <summary>The checkpoint's family (tokenizer and prompt template), from config.json's <c>model_type</c>.</summary>
    public ModelFamily Family { get; }

    /// <summary>The text tokenizer of <see cref="Family"/>.</summary>
    public ITextTokenizer Tokenizer { get; }

    /// <summary>Prompt ids around the image slot.</summary>
    public PromptIds Prompt { get; }

    /// <summary>The image processor settings of the checkpoint.</summary>
    public PreprocessorConfig Preprocessor { get; }

    /// <summary>The device the model runs on.</summary>
    public Device Device { get; }

    /// <summary>The compute dtype.</summary>
    public ScalarType DType { get; }

    /// <summary>Upper bound on batch × padded new positions per forward call (cached positions not counted).</summary>
    public int MaxBatchTokens { get; }

    /// <summary>How the engine batches.</summary>
    public EngineOptions EngineOptions => engine.Options;

    /// <summary>Side of the visual token grid.</summary>
    public int Grid => Config.Vision.GridSize;

    /// <summary>Visual tokens per image.</summary>
    public int VisualTokenCount => Grid * Grid;

    /// <summary>Number of forward calls made so far (for benchmarks; the prompt-prefix cache made at load counts as one).</summary>
    public long ForwardCalls => Work.Calls;

    /// <summary>Everything the language model computed so far (for benchmarks).</summary>
    public ForwardWork Work
    {
        get
        {
            lock (gate)
            {
                return engine.Work;
            }
        }
    }

    /// <summary>The part of <see cref="Work"/> spent on generation steps after a skipped leading token (for benchmarks).</summary>
    public ForwardWork LeadSkipWork
    {
        get
        {
            lock (gate)
            {
                return engine.LeadSkipWork;
            }
        }
    }

    /// <summary>Wall-clock seconds spent on generation steps after a skipped leading token (for benchmarks).</summary>
    public double LeadSkipSeconds
    {
        get
        {
            lock (gate)
            {
                return engine.LeadSkipSeconds;
            }
        }
    }

    /// <summary>Variants measured after a skipped leading token so far (for benchmarks).</summary>
    public long LeadSkips
    {
        get
        {
            lock (gate)
            {
                return engine.LeadSkips;
            }
        }
    }

    /// <summary>The tokenizer's ids of <paramref name="tokens"/> (<see cref="MiningParameters.SkipLeadingTokens"/>); an unknown string raises <see cref="MiningParameterException"/> naming it.</summary>
    public int[] SkipTokenIds(IReadOnlyList<string> tokens) => SkipLeadingTokenIds.Resolve(Tokenizer, tokens);

    /// <summary>The language model, for callers that run their own decoding (the reference schedule of `bench mine`); hold <see cref="Gate"/> while using it.</summary>
    public LlamaForCausalLM LanguageModel => model.LanguageModel;

    /// <summary>Input embeddings of the prompt before the image [P, D].</summary>
    public Tensor PrefixEmbeddings => prefixEmbeddings;

    /// <summary>Input embeddings of the prompt after the image [S, D].</summary>
    public Tensor SuffixEmbeddings => suffixEmbeddings;

    /// <summary>Serialises use of the model between this runtime and the reference schedule.</summary>
    public Lock Gate => gate;

    /// <summary>Loads a Hugging Face LLaVA checkpoint directory; a missing or inconsistent file raises <see cref="CheckpointException"/> naming it.</summary>
    /// <param name="modelDirectory">The checkpoint.</param>
    /// <param name="options">Device, dtype and threads (default: CPU, fp32).</param>
    /// <param name="template">The prompt (default: the family's template with the mining question).</param>
    /// <param name="maxBatchTokens">Token budget of one forward call; 0 (the default) chooses it from the device's free memory (<see cref="BatchBudget"/>).</param>
    /// <param name="engineOptions">How the engine batches (default: <see cref="EngineOptions.Default"/>).</param>
    /// <param name="roots">Where the weights files may be opened from (default: anywhere; regular files only).</param>
    public static LlavaRuntime Load(string modelDirectory, RuntimeOptions? options = null, PromptTemplate? template = null, int maxBatchTokens = 0, EngineOptions? engineOptions = null, AllowedRoots? roots = null)
    {
        options ??= RuntimeOptions.Cpu;
        engineOptions ??= EngineOptions.Default;
        if (maxBatchTokens < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(maxBatchTokens), $"max batch tokens must be positive (or 0: from free memory), got {maxBatchTokens}");
        }

        engineOptions.Validate();

        var files = CheckpointFiles.Locate(modelDirectory);
        var (device, dtype) = TorchRuntime.Resolve(options);
        var config = LlavaConfig.Load(files.Config);
        var preprocessor = PreprocessorConfig.Load(files.Preprocessor);
        var family = ModelFamily.Of(config);
        var tokenizer = ITextTokenizer.Load(modelDirectory, family.Tokenizer);
        PromptIds prompt;
        try
        {
            prompt = PromptBuilder.Build(tokenizer, template ?? family.Template);
        }
        catch (TokenizerException e)
        {
            throw new TokenizerException($"{files.Tokenizer}: {e.Message}", e);
        }

        if (prompt.PrefixIds.Concat(prompt.SuffixIds).Any(id => id >= config.Text.VocabSize))
        {
            throw new CheckpointException($"{files.Tokenizer}: the tokenizer produces ids beyond the model's vocabulary ({config.Text.VocabSize}, config.json text_config.vocab_size)");
        }

        var model = LlavaModelLoader.Load(modelDirectory, config, device, dtype, roots);
        try
        {
            return new LlavaRuntime(Path.GetFullPath(modelDirectory), config, model, family, tokenizer, prompt, preprocessor, device, dtype, maxBatchTokens, engineOptions);
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    /// <summary>Runs the vision tower and projector on pixel values [3, H, W] (CHW float32) and ranks the tokens (<see cref="TokenRanking"/>).</summary>
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
            var ranking = features.Cls is { } cls
                ? TokenRanking.ByCls(nn.functional.cosine_similarity(features.Patches[0], cls, dim: -1).to(ScalarType.Float32).cpu().data<float>().ToArray())
                : TokenRanking.TokenOrder(VisualTokenCount);
            var tokens = model.Projector.forward(features.Patches[0]).MoveToOuterDisposeScope();
            return new EncodedImage(tokens, ranking, Grid);
        }
    }

    /// <summary>First-answer-token logits with all of the image's visual tokens in the image slot.</summary>
    public float[] BaselineLogits(EncodedImage image) =>
        FirstTokenLogits(image, [Enumerable.Range(0, image.TokenCount).ToArray()], padTokenId: 0)[0];

    /// <summary>
    /// First-answer-token logits for each variant: a variant lists, in order, the visual tokens of
    /// <paramref name="image"/> to put in the image slot, with <see cref="PadSlot"/> for the input embedding
    /// of <paramref name="padTokenId"/>. Results come back in the variants' order; see <see cref="FirstTokenLogits(IReadOnlyList{VariantRequest})"/>.
    /// </summary>
    public float[][] FirstTokenLogits(EncodedImage image, IReadOnlyList<int[]> variants, int padTokenId) =>
        FirstTokenLogits([new VariantRequest(image, variants, padTokenId)])[0];

    /// <summary>
    /// First-answer-token logits for the variants of several images at once, per request in the order given. The
    /// prompt prefix continues a key/value cache computed once per model; each image's baseline and global
    /// leave-one-out variants branch from one cache of the image's leading tokens; everything else of every image
    /// is packed into batches of at most <see cref="MaxBatchTokens"/> padded new positions (<see cref="ScoringPlanner"/>).
    /// Only the last prompt position reaches the LM head.
    /// </summary>
    public float[][][] FirstTokenLogits(IReadOnlyList<VariantRequest> requests)
    {
        ArgumentNullException.ThrowIfNull(requests);
        var firstPosition = requests.Select(r => r is null ? null! : r with { SkipTokenIds = [] }).ToArray();
        return MeasuredLogits(firstPosition).Select(request => request.Select(m => m.Logits).ToArray()).ToArray();
    }

    /// <summary>
    /// The measured logits of each variant (MODELS.md, "The measured logits"): its first-answer-token logits, unless
    /// their argmax is one of its request's <see cref="VariantRequest.SkipTokenIds"/> — then the logits of the next
    /// position with that token appended, from one batched generation step on the keys and values the first pass
    /// kept. Scheduled as <see cref="FirstTokenLogits(IReadOnlyList{VariantRequest})"/>; requests without skip ids
    /// cost exactly what that costs.
    /// </summary>
    public MeasuredLogits[][] MeasuredLogits(IReadOnlyList<VariantRequest> requests)
    {
        ArgumentNullException.ThrowIfNull(requests);
        for (var r = 0; r < requests.Count; r++)
        {
            var request = requests[r] ?? throw new ArgumentException($"requests[{r}] is null", nameof(requests));
            ArgumentNullException.ThrowIfNull(request.Image);
            ArgumentNullException.ThrowIfNull(request.Variants);
            if (request.Image.VisualTokens.shape[1] != Config.Text.HiddenSize)
            {
                throw new ArgumentException($"requests[{r}]: the image's visual tokens have width {request.Image.VisualTokens.shape[1]}, this model's hidden size is {Config.Text.HiddenSize}", nameof(requests));
            }

            foreach (var variant in request.Variants)
            {
                ArgumentNullException.ThrowIfNull(variant, nameof(requests));
                foreach (var slot in variant)
                {
                    if (slot != PadSlot && (slot < 0 || slot >= request.Image.TokenCount))
                    {
                        throw new ArgumentOutOfRangeException(nameof(requests), $"variant refers to visual token {slot}; the image has {request.Image.TokenCount}");
                    }
                }
            }

            ArgumentNullException.ThrowIfNull(request.SkipTokenIds, nameof(requests));
            if (request.SkipTokenIds.FirstOrDefault(id => id < 0 || id >= Config.Text.VocabSize, -1) is var bad and >= 0)
            {
                throw new ArgumentOutOfRangeException(nameof(requests), $"skip token id {bad} is outside the vocabulary (0..{Config.Text.VocabSize - 1})");
            }

            PadEmbedding(request.PadTokenId); // validates the id and fills the cache before any forward
        }

        lock (gate)
        {
            return engine.Score(requests);
        }
    }

    /// <summary>The plan <see cref="FirstTokenLogits(IReadOnlyList{VariantRequest})"/> follows for <paramref name="requests"/> (for tests and benchmarks).</summary>
    public ScoringPlan Plan(IReadOnlyList<VariantRequest> requests)
    {
        ArgumentNullException.ThrowIfNull(requests);
        return engine.Plan(requests);
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
        engine.Dispose();
        prefixEmbeddings.Dispose();
        suffixEmbeddings.Dispose();
        foreach (var embedding in padEmbeddings.Values)
        {
            embedding.Dispose();
        }

        model.Dispose();
    }

    private Tensor EmbedIds(int[] ids)
    {
        using var scope = torch.NewDisposeScope();
        var index = torch.tensor(ids.Select(i => (long)i).ToArray(), device: Device);
        return model.LanguageModel.Embed(index).MoveToOuterDisposeScope();
    }
}
