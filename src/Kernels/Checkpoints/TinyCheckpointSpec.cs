using Mining.Kernels.Model;

namespace Mining.Kernels.Checkpoints;

/// <summary>The shape of a small random checkpoint of a LLaVA family for tests and demos, and how to store it (layout, dtype, shards, config style).</summary>
/// <remarks>
/// The token ids come from the family's tiny tokenizer (<see cref="TinyTokenizer"/>); for LLaVA-1.5 they follow the llava-tiny-ref
/// fixture: a 400-piece tokenizer, <c>&lt;image&gt;</c> = 400, <c>&lt;pad&gt;</c> = 401, vocabulary 448.
/// </remarks>
public sealed record TinyCheckpointSpec
{
    private readonly int? vocabSize;

    /// <summary>The family: its config (model type, text model settings), tokenizer and image processor. LLaVA-1.5 unless set.</summary>
    public ModelFamily Family { get; init; } = ModelFamily.Llava;

    /// <summary>Patches per image side; the image is <see cref="Grid"/> × <see cref="PatchSize"/> pixels square.</summary>
    public int Grid { get; init; } = 8;

    public int PatchSize { get; init; } = 14;

    public int VisionHidden { get; init; } = 32;

    public int VisionLayers { get; init; } = 2;

    public int VisionHeads { get; init; } = 4;

    public int VisionIntermediate { get; init; } = 64;

    public int TextHidden { get; init; } = 64;

    public int TextLayers { get; init; } = 2;

    public int TextHeads { get; init; } = 4;

    public int TextKvHeads { get; init; } = 2;

    public int TextIntermediate { get; init; } = 128;

    /// <summary>The language model's vocabulary (embedding and head rows); at least the tokenizer's ids. Default: <see cref="TinyTokenizer.DefaultVocabSize"/> of the family (LLaVA-1.5: 448).</summary>
    public int VocabSize { get => vocabSize ?? Tokenizer.DefaultVocabSize; init => vocabSize = value; }

    /// <summary>The family's tiny tokenizer, which fixes the special ids.</summary>
    public TinyTokenizer Tokenizer => TinyTokenizer.Of(Family);

    /// <summary>The id of <c>&lt;image&gt;</c> in the family's tiny tokenizer.</summary>
    public int ImageTokenIndex => Tokenizer.ImageTokenId;

    /// <summary>config.json's <c>pad_token_id</c>: the tiny tokenizer's <c>&lt;pad&gt;</c>, where the family has one.</summary>
    public int? PadTokenId => Tokenizer.PadTokenId;

    /// <summary>Seeds the weights: the same spec and seed give byte-identical files.</summary>
    public int Seed { get; init; }

    public CheckpointLayout Layout { get; init; } = CheckpointLayout.Published;

    /// <summary>F32, F16 or BF16.</summary>
    public SafeTensorDType DType { get; init; } = SafeTensorDType.F32;

    /// <summary>1 writes <c>model.safetensors</c>; N &gt; 1 writes an index and N shards.</summary>
    public int Shards { get; init; } = 1;

    /// <summary>Leave fields equal to transformers' defaults out of config.json, as llava-hf's own files do.</summary>
    public bool OmitDefaultConfigFields { get; init; }

    /// <summary>Model id written into config.json as <c>_name_or_path</c> (see <see cref="CheckpointModelId"/>); null writes none.</summary>
    public string? ModelId { get; init; }

    /// <summary>Tie the LM head to the token embeddings (<c>tie_word_embeddings</c>): no <c>lm_head</c> tensor is written, as Qwen2-0.5B-class checkpoints come.</summary>
    public bool TieWordEmbeddings { get; init; }

    /// <summary>
    /// The config this spec describes. LLaVA-1.5: rms_norm_eps 1e-5, quick_gelu CLIP, layer −2, "default" strategy. LLaVA-NeXT:
    /// the same vision side and LLaMA-3's text settings (rope_theta 5e5, 8192 positions), the default grid pinpoints.
    /// LLaVA-OneVision: SigLIP (gelu_pytorch_tanh, eps 1e-6, no head, the last layer read, every patch) and Qwen2 (q/k/v
    /// biases, rope_theta 1e6, eps 1e-6), its default grid pinpoints.
    /// </summary>
    public LlavaConfig ToConfig()
    {
        var text = new TextConfig
        {
            HiddenSize = TextHidden,
            IntermediateSize = TextIntermediate,
            NumHiddenLayers = TextLayers,
            NumAttentionHeads = TextHeads,
            NumKeyValueHeads = TextKvHeads,
            HeadDim = TextHeads > 0 ? TextHidden / TextHeads : 0,
            VocabSize = VocabSize,
            RmsNormEps = 1e-5,
            TieWordEmbeddings = TieWordEmbeddings,
        };
        var vision = new VisionConfig
        {
            HiddenSize = VisionHidden,
            ImageSize = Grid * PatchSize,
            PatchSize = PatchSize,
            IntermediateSize = VisionIntermediate,
            NumAttentionHeads = VisionHeads,
            NumHiddenLayers = VisionLayers,
        };
        var llava = new LlavaConfig
        {
            Text = text,
            Vision = vision,
            ImageTokenIndex = ImageTokenIndex,
            PadTokenId = PadTokenId,
            TorchDtype = CheckpointFolder.TorchDtypeName(DType),
        };
        return Family.Name switch
        {
            "llava" => llava,

            // llama3-llava-next-8b's text_config: rope_theta 500000, max_position_embeddings 8192.
            "next" => llava with
            {
                ModelType = LlavaConfig.NextModelType,
                ImageGridPinpoints = LlavaConfig.NextDefaultGridPinpoints,
                Text = text with { RopeTheta = 500000.0, MaxPositionEmbeddings = 8192 },
            },

            // llava-onevision-qwen2-7b-ov-hf: SigLIP without its last layer read at −1, "full"; Qwen2 with rope_theta 1e6.
            "onevision" => llava with
            {
                ModelType = LlavaConfig.OnevisionModelType,
                ImageGridPinpoints = LlavaConfig.OnevisionDefaultGridPinpoints,
                Text = text with { ModelType = TextConfig.Qwen2ModelType, RopeTheta = 1e6, RmsNormEps = 1e-6, MaxPositionEmbeddings = 32768 },
                Vision = vision with { ModelType = VisionConfig.SiglipModelType, HiddenAct = "gelu_pytorch_tanh", LayerNormEps = 1e-6, VisionUseHead = false },
                VisionFeatureLayer = -1,
                VisionFeatureSelectStrategy = LlavaConfig.FullSelectStrategy,
            },
            _ => throw new ArgumentException($"--family {Family.Name}: no tiny checkpoint for this family; use llava, onevision or next"),
        };
    }
}
