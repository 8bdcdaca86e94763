using System.Text.Json.Nodes;

namespace Mining.Kernels.Checkpoints;

/// <summary>The LLaMA language model of a LLaVA checkpoint (<c>text_config</c>); each property's initial value is transformers' <c>LlamaConfig</c> default.</summary>
/// <remarks>Defaults from transformers' models/llama/configuration_llama.py (Llama-2-7B sizes).</remarks>
public sealed record TextConfig
{
    /// <summary>The only <c>text_config.model_type</c> Mining runs (also assumed when the field is absent, as LlavaConfig does).</summary>
    public const string ModelType = "llama";

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

    /// <summary>Whether q/k/v/o projections carry biases (false for LLaMA and Vicuna).</summary>
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
            throw check.Fail("hidden_act", $"is '{HiddenAct}'; Mining's LLaMA supports only '{SupportedHiddenAct}'");
        }
    }

    /// <inheritdoc/>
    public bool Equals(TextConfig? other) =>
        other is not null &&
        HiddenSize == other.HiddenSize && IntermediateSize == other.IntermediateSize &&
        NumHiddenLayers == other.NumHiddenLayers && NumAttentionHeads == other.NumAttentionHeads &&
        NumKeyValueHeads == other.NumKeyValueHeads && HeadDim == other.HeadDim && VocabSize == other.VocabSize &&
        RmsNormEps.Equals(other.RmsNormEps) && RopeTheta.Equals(other.RopeTheta) && HiddenAct == other.HiddenAct &&
        MaxPositionEmbeddings == other.MaxPositionEmbeddings && AttentionBias == other.AttentionBias &&
        MlpBias == other.MlpBias && TieWordEmbeddings == other.TieWordEmbeddings;

    /// <inheritdoc/>
    public override int GetHashCode() =>
        HashCode.Combine(
            HashCode.Combine(HiddenSize, IntermediateSize, NumHiddenLayers, NumAttentionHeads, NumKeyValueHeads, HeadDim, VocabSize),
            HashCode.Combine(RmsNormEps, RopeTheta, HiddenAct, MaxPositionEmbeddings, AttentionBias, MlpBias, TieWordEmbeddings));

    /// <summary>Reads <c>text_config</c>; an absent section is transformers' <c>LlamaConfig()</c>.</summary>
    internal static TextConfig Read(ConfigSection? section)
    {
        var defaults = new TextConfig();
        if (section is null)
        {
            return defaults with { NumKeyValueHeads = defaults.NumKeyValueHeads, HeadDim = defaults.HeadDim };
        }

        // configuration_llava.py: text_config["model_type"] = text_config.get("model_type", "llama").
        var modelType = section.String("model_type", ModelType);
        if (modelType != ModelType)
        {
            throw section.Fail("model_type", $"is '{modelType}'; Mining's LLaVA runs a LLaMA language model ('{ModelType}') only");
        }

        var hidden = section.PositiveInt("hidden_size", defaults.HiddenSize);
        var heads = section.PositiveInt("num_attention_heads", defaults.NumAttentionHeads);
        return new TextConfig
        {
            HiddenSize = hidden,
            IntermediateSize = section.PositiveInt("intermediate_size", defaults.IntermediateSize),
            NumHiddenLayers = section.PositiveInt("num_hidden_layers", defaults.NumHiddenLayers),
            NumAttentionHeads = heads,
            NumKeyValueHeads = section.OptionalPositiveInt("num_key_value_heads") ?? heads,
            HeadDim = section.OptionalPositiveInt("head_dim") ?? hidden / heads,
            VocabSize = section.PositiveInt("vocab_size", defaults.VocabSize),
            RmsNormEps = section.PositiveDouble("rms_norm_eps", defaults.RmsNormEps),
            RopeTheta = ReadRope(section, defaults.RopeTheta),
            HiddenAct = section.String("hidden_act", defaults.HiddenAct),
            MaxPositionEmbeddings = section.PositiveInt("max_position_embeddings", defaults.MaxPositionEmbeddings),
            AttentionBias = section.Bool("attention_bias", defaults.AttentionBias),
            MlpBias = section.Bool("mlp_bias", defaults.MlpBias),
            TieWordEmbeddings = section.Bool("tie_word_embeddings", defaults.TieWordEmbeddings),
        };
    }

    internal JsonObject ToJson(bool omitDefaultFields)
    {
        var defaults = new TextConfig();
        var json = new JsonObject { ["model_type"] = ModelType };
        if (!omitDefaultFields)
        {
            json["architectures"] = new JsonArray("LlamaForCausalLM");
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
        fields.Put("attention_bias", AttentionBias, defaults.AttentionBias);
        fields.Put("mlp_bias", MlpBias, defaults.MlpBias);
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
                throw section.Fail(key, $"asks for '{type}' RoPE scaling ({ConfigSection.Show(section.Node(key))}); Mining runs plain RoPE only (LLaVA-1.5's LLaMA has rope_scaling null)");
            }

            theta = rope.PositiveDouble("rope_theta", theta);
        }

        return theta;
    }
}
