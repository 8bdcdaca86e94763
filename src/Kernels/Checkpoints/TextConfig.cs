using System.Text.Json.Nodes;

namespace Mining.Kernels.Checkpoints;

/// <summary>
/// The language model of a LLaVA checkpoint (<c>text_config</c>): LLaMA (LLaVA-1.5, LLaVA-NeXT) or Qwen2 (LLaVA-OneVision).
/// Each property's initial value is transformers' <c>LlamaConfig</c> default; <see cref="Qwen2Defaults"/> holds <c>Qwen2Config</c>'s.
/// </summary>
/// <remarks>
/// Defaults from transformers' models/llama/configuration_llama.py (Llama-2-7B sizes) and models/qwen2/configuration_qwen2.py.
/// Qwen2 is LLaMA with biases on the query, key and value projections (not the output one, and none in the MLP) — fixed by
/// its modelling code, not by a config field — so one decoder runs both (MODELS.md).
/// </remarks>
public sealed record TextConfig
{
    /// <summary>LLaMA's <c>text_config.model_type</c> (assumed when LLaVA-1.5 or LLaVA-NeXT leave the field out).</summary>
    public const string LlamaModelType = "llama";

    /// <summary>Qwen2's <c>text_config.model_type</c> (assumed when LLaVA-OneVision leaves the field out).</summary>
    public const string Qwen2ModelType = "qwen2";

    /// <summary>transformers' <c>Qwen2Config()</c>.</summary>
    public static TextConfig Qwen2Defaults { get; } = new()
    {
        ModelType = Qwen2ModelType,
        VocabSize = 151936,
        HiddenSize = 4096,
        IntermediateSize = 22016,
        NumHiddenLayers = 32,
        NumAttentionHeads = 32,
        NumKeyValueHeads = 32,
        MaxPositionEmbeddings = 32768,
        RmsNormEps = 1e-6,
        RopeTheta = 10000.0,
    };

    /// <summary><see cref="LlamaModelType"/> or <see cref="Qwen2ModelType"/>.</summary>
    public string ModelType { get; init; } = LlamaModelType;

    /// <summary>Whether this is Qwen2 (biases on q/k/v).</summary>
    public bool IsQwen2 => ModelType == Qwen2ModelType;

    /// <summary>Whether the query, key and value projections carry biases: always for Qwen2, <see cref="AttentionBias"/> for LLaMA.</summary>
    public bool QkvBias => IsQwen2 || AttentionBias;

    /// <summary>Whether the attention's output projection carries a bias: never for Qwen2, <see cref="AttentionBias"/> for LLaMA.</summary>
    public bool OutputBias => !IsQwen2 && AttentionBias;

    /// <summary>The only supported <see cref="HiddenAct"/>.</summary>
    public const string SupportedHiddenAct = "silu";

    private const string Prefix = "text_config.";

    private readonly int? numKeyValueHeads;
    private readonly int? headDim;

    public int HiddenSize { get; init; } = 4096;

    public int IntermediateSize { get; init; } = 11008;

    public int NumHiddenLayers { get; init; } = 32;

    public int NumAttentionHeads { get; init; } = 32;

    /// <summary>Key/value heads (grouped-query attention); transformers' default is <see cref="NumAttentionHeads"/>.</summary>
    public int NumKeyValueHeads { get => numKeyValueHeads ?? NumAttentionHeads; init => numKeyValueHeads = value; }

    /// <summary>Per-head size; transformers' default is <see cref="HiddenSize"/> / <see cref="NumAttentionHeads"/>.</summary>
    public int HeadDim { get => headDim ?? (NumAttentionHeads > 0 ? HiddenSize / NumAttentionHeads : 0); init => headDim = value; }

    public int VocabSize { get; init; } = 32000;

    public double RmsNormEps { get; init; } = 1e-6;

    /// <summary>RoPE base (<c>rope_theta</c>, or <c>rope_parameters.rope_theta</c> as transformers 5 writes it). Scaled RoPE is refused on load.</summary>
    public double RopeTheta { get; init; } = 10000.0;

    public string HiddenAct { get; init; } = SupportedHiddenAct;

    public int MaxPositionEmbeddings { get; init; } = 2048;

    /// <summary>LLaMA's <c>attention_bias</c>: whether q/k/v/o projections carry biases (false for LLaMA and Vicuna; Qwen2 has no such field, see <see cref="QkvBias"/>).</summary>
    public bool AttentionBias { get; init; }

    /// <summary>Whether gate/up/down projections carry biases (false for LLaMA and Vicuna).</summary>
    public bool MlpBias { get; init; }

    /// <summary>Whether <c>lm_head</c> shares <c>embed_tokens</c>' weight (then the checkpoint need not store it).</summary>
    public bool TieWordEmbeddings { get; init; }

    /// <summary>Throws <see cref="CheckpointException"/> naming <paramref name="source"/> and the field when the sizes are inconsistent or the activation unsupported.</summary>
    public void Validate(string source)
    {
        var check = new ConfigCheck(source, Prefix);
        check.Positive("hidden_size", HiddenSize);
        check.Positive("intermediate_size", IntermediateSize);
        check.Positive("num_hidden_layers", NumHiddenLayers);
        check.Positive("num_attention_heads", NumAttentionHeads);
        check.Positive("num_key_value_heads", NumKeyValueHeads);
        check.Positive("head_dim", HeadDim);
        check.Positive("vocab_size", VocabSize);
        check.Positive("max_position_embeddings", MaxPositionEmbeddings);
        check.PositiveNumber("rms_norm_eps", RmsNormEps);
        check.PositiveNumber("rope_theta", RopeTheta);

        // transformers' LlamaConfig.validate_architecture refuses this even when head_dim is given.
        if (HiddenSize % NumAttentionHeads != 0)
        {
            throw check.Fail("hidden_size", $"({HiddenSize}) is not divisible by {Prefix}num_attention_heads ({NumAttentionHeads})");
        }

        if (NumAttentionHeads % NumKeyValueHeads != 0)
        {
            throw check.Fail("num_attention_heads", $"({NumAttentionHeads}) is not divisible by {Prefix}num_key_value_heads ({NumKeyValueHeads})");
        }

        if (HeadDim % 2 != 0)
        {
            throw check.Fail("head_dim", $"({HeadDim}) must be even: rotary embeddings rotate pairs of dimensions");
        }

        if (HiddenAct != SupportedHiddenAct)
        {
            throw check.Fail("hidden_act", $"is '{HiddenAct}'; Mining's LLaMA and Qwen2 support only '{SupportedHiddenAct}'");
        }

        if (ModelType is not (LlamaModelType or Qwen2ModelType))
        {
            throw check.Fail("model_type", $"is '{ModelType}'; Mining runs a LLaMA ('{LlamaModelType}') or Qwen2 ('{Qwen2ModelType}') language model");
        }

        if (IsQwen2 && (AttentionBias || MlpBias))
        {
            throw check.Fail("model_type", "is 'qwen2', whose biases are fixed (q/k/v only): attention_bias and mlp_bias are LLaMA fields");
        }
    }

    /// <inheritdoc/>
    public bool Equals(TextConfig? other) =>
        other is not null && ModelType == other.ModelType &&
        HiddenSize == other.HiddenSize && IntermediateSize == other.IntermediateSize &&
        NumHiddenLayers == other.NumHiddenLayers && NumAttentionHeads == other.NumAttentionHeads &&
        NumKeyValueHeads == other.NumKeyValueHeads && HeadDim == other.HeadDim && VocabSize == other.VocabSize &&
        RmsNormEps.Equals(other.RmsNormEps) && RopeTheta.Equals(other.RopeTheta) && HiddenAct == other.HiddenAct &&
        MaxPositionEmbeddings == other.MaxPositionEmbeddings && AttentionBias == other.AttentionBias &&
        MlpBias == other.MlpBias && TieWordEmbeddings == other.TieWordEmbeddings;

    /// <inheritdoc/>
    public override int GetHashCode() =>
        HashCode.Combine(
            HashCode.Combine(ModelType, HiddenSize, IntermediateSize, NumHiddenLayers, NumAttentionHeads, NumKeyValueHeads, HeadDim),
            VocabSize,
            HashCode.Combine(RmsNormEps, RopeTheta, HiddenAct, MaxPositionEmbeddings, AttentionBias, MlpBias, TieWordEmbeddings));

    /// <summary>
    /// Reads <c>text_config</c>; an absent <c>model_type</c> is <paramref name="defaultModelType"/> (the LLaVA config's choice),
    /// an absent section that model's transformers defaults.
    /// </summary>
    internal static TextConfig Read(ConfigSection? section, string defaultModelType)
    {
        // configuration_llava*.py: text_config["model_type"] = text_config.get("model_type", <the family's LLM>).
        var modelType = section is null ? defaultModelType : section.String("model_type", defaultModelType);
        if (modelType is not (LlamaModelType or Qwen2ModelType))
        {
            throw section!.Fail("model_type", $"is '{modelType}'; Mining's LLaVA runs a LLaMA ('{LlamaModelType}') or Qwen2 ('{Qwen2ModelType}') language model only");
        }

        var qwen2 = modelType == Qwen2ModelType;
        var defaults = qwen2 ? Qwen2Defaults : new TextConfig();
        if (section is null)
        {
            return defaults with { NumKeyValueHeads = defaults.NumKeyValueHeads, HeadDim = defaults.HeadDim };
        }

        // Qwen2's sliding window only changes attention past sliding_window positions, far beyond a mining prompt; it is
        // refused rather than ignored so that a checkpoint relying on it is never run differently from its own code.
        if (qwen2 && section.Bool("use_sliding_window", false))
        {
            throw section.Fail("use_sliding_window", "is true; Mining's Qwen2 runs full attention only (every released LLaVA-OneVision has it false)");
        }

        var hidden = section.PositiveInt("hidden_size", defaults.HiddenSize);
        var heads = section.PositiveInt("num_attention_heads", defaults.NumAttentionHeads);
        return new TextConfig
        {
            ModelType = modelType,
            HiddenSize = hidden,
            IntermediateSize = section.PositiveInt("intermediate_size", defaults.IntermediateSize),
            NumHiddenLayers = section.PositiveInt("num_hidden_layers", defaults.NumHiddenLayers),
            NumAttentionHeads = heads,
            // LlamaConfig's default is None (= the query heads); Qwen2Config's is a fixed 32.
            NumKeyValueHeads = section.OptionalPositiveInt("num_key_value_heads") ?? (qwen2 ? defaults.NumKeyValueHeads : heads),
            HeadDim = section.OptionalPositiveInt("head_dim") ?? hidden / heads,
            VocabSize = section.PositiveInt("vocab_size", defaults.VocabSize),
            RmsNormEps = section.PositiveDouble("rms_norm_eps", defaults.RmsNormEps),
            RopeTheta = ReadRope(section, defaults.RopeTheta),
            HiddenAct = section.String("hidden_act", defaults.HiddenAct),
            MaxPositionEmbeddings = section.PositiveInt("max_position_embeddings", defaults.MaxPositionEmbeddings),
            AttentionBias = !qwen2 && section.Bool("attention_bias", defaults.AttentionBias),
            MlpBias = !qwen2 && section.Bool("mlp_bias", defaults.MlpBias),
            TieWordEmbeddings = section.Bool("tie_word_embeddings", defaults.TieWordEmbeddings),
        };
    }

    internal JsonObject ToJson(bool omitDefaultFields)
    {
        var defaults = IsQwen2 ? Qwen2Defaults : new TextConfig();
        var json = new JsonObject { ["model_type"] = ModelType };
        if (!omitDefaultFields)
        {
            json["architectures"] = new JsonArray(IsQwen2 ? "Qwen2ForCausalLM" : "LlamaForCausalLM");
        }

        var fields = new ConfigWriter(json, omitDefaultFields);

        fields.Put("hidden_size", HiddenSize, defaults.HiddenSize);
        fields.Put("intermediate_size", IntermediateSize, defaults.IntermediateSize);
        fields.Put("num_hidden_layers", NumHiddenLayers, defaults.NumHiddenLayers);
        fields.Put("num_attention_heads", NumAttentionHeads, defaults.NumAttentionHeads);
        fields.Put("num_key_value_heads", NumKeyValueHeads, NumAttentionHeads);
        fields.Put("head_dim", HeadDim, HiddenSize / NumAttentionHeads);
        fields.Put("vocab_size", VocabSize, defaults.VocabSize);
        fields.Put("max_position_embeddings", MaxPositionEmbeddings, defaults.MaxPositionEmbeddings);
        fields.Put("rms_norm_eps", RmsNormEps, defaults.RmsNormEps);
        fields.Put("rope_theta", RopeTheta, defaults.RopeTheta);
        fields.Put("hidden_act", HiddenAct, defaults.HiddenAct);
        if (!IsQwen2)
        {
            fields.Put("attention_bias", AttentionBias, defaults.AttentionBias);
            fields.Put("mlp_bias", MlpBias, defaults.MlpBias);
        }
        else if (!omitDefaultFields)
        {
            json["use_sliding_window"] = false;
        }

        fields.Put("tie_word_embeddings", TieWordEmbeddings, defaults.TieWordEmbeddings);
        return json;
    }

    /// <summary>
    /// rope_theta, refusing scaled RoPE. transformers 4.x keeps <c>rope_theta</c> and <c>rope_scaling</c> (null for LLaMA-2 /
    /// Vicuna); transformers 5 writes <c>rope_parameters: {rope_type: "default", rope_theta}</c>. A "default" type is plain RoPE.
    /// </summary>
    private static double ReadRope(ConfigSection section, double fallback)
    {
        var theta = section.PositiveDouble("rope_theta", fallback);
        foreach (var key in new[] { "rope_scaling", "rope_parameters" })
        {
            var rope = section.Section(key);
            if (rope is null)
            {
                continue;
            }

            var type = rope.Has("rope_type") ? rope.String("rope_type", "default") : rope.String("type", "default");
            if (type != "default")
            {
                throw section.Fail(key, $"asks for '{type}' RoPE scaling ({ConfigSection.Show(section.Node(key))}); Mining runs plain RoPE only (LLaVA-1.5's LLaMA, LLaMA-3-8B and Qwen2-7B have rope_scaling null)");
            }

            theta = rope.PositiveDouble("rope_theta", theta);
        }

        return theta;
    }
}
