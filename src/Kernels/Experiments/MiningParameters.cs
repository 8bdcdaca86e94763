using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Mining.Kernels.Experiments;

/// <summary>The thresholds and sizes of the redundancy mining (ARCHITECTURE §1); defaults are the reference's LLaVA-1.5-7B configuration.</summary>
/// <remarks>
/// The JSON form (<see cref="ToJson"/>) uses the snake_case names of ARCHITECTURE §1 and is what the
/// codebook records as <c>mining.parameters</c>. CLI options are the same names in kebab case. A run's parameters
/// come from a <see cref="MiningPreset"/> overridden by the values given explicitly (<see cref="FromJson(string, MiningParameters)"/>).
/// </remarks>
public sealed record MiningParameters
{
    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        WriteIndented = false,
    };

    /// <summary>The name of the <see cref="MiningPreset"/> the values started from (explicit values override it); null in records made before presets.</summary>
    [JsonPropertyName("preset")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Preset { get; init; }

    /// <summary>A token is redundant only if its single-input top-1 probability is below this (in (0, 1]).</summary>
    [JsonPropertyName("top1_thres")]
    public double Top1Thres { get; init; } = 0.15;

    /// <summary>A token is redundant only if <c>k_region·jsd_region + k_global·jsd_global</c> is below this.</summary>
    [JsonPropertyName("jsd_thres")]
    public double JsdThres { get; init; } = 2e-3;

    /// <summary>Weight of the regional leave-one-out JSD.</summary>
    [JsonPropertyName("k_region")]
    public double KRegion { get; init; } = 1;

    /// <summary>Weight of the global leave-one-out JSD.</summary>
    [JsonPropertyName("k_global")]
    public double KGlobal { get; init; } = 16;

    /// <summary>How many of the largest logits the top-1 probability's softmax runs over.</summary>
    [JsonPropertyName("head_topk")]
    public int HeadTopK { get; init; } = 50;

    /// <summary>How many of the unablated variant's largest logits the JSD compares.</summary>
    [JsonPropertyName("jsd_topk")]
    public int JsdTopK { get; init; } = 10;

    /// <summary>DPC-kNN clusters per image (the per-image filter).</summary>
    [JsonPropertyName("image_clusters")]
    public int ImageClusters { get; init; } = 8;

    /// <summary>A per-image cluster keeps its redundant tokens only if it has at most this many members.</summary>
    [JsonPropertyName("small_cluster_max")]
    public int SmallClusterMax { get; init; } = 8;

    /// <summary>DPC-kNN clusters over the pooled tokens of all images.</summary>
    [JsonPropertyName("prototype_clusters")]
    public int PrototypeClusters { get; init; } = 64;

    /// <summary>A pooled cluster becomes prototypes only if its members come from more than this many distinct images.</summary>
    [JsonPropertyName("min_unique_images")]
    public int MinUniqueImages { get; init; } = 64;

    /// <summary>Neighbours (itself included) of DPC-kNN's density.</summary>
    [JsonPropertyName("dpc_knn_k")]
    public int DpcKnnK { get; init; } = 5;

    /// <summary>Row of the LLM's input embeddings that fills ablated positions (0 = <c>&lt;unk&gt;</c>, as the reference did; not config.json's pad_token_id).</summary>
    [JsonPropertyName("pad_token_id")]
    public int PadTokenId { get; init; }

    /// <summary>How many times the single-input experiment repeats the token (LLaVA-1.5 configuration: 1).</summary>
    [JsonPropertyName("dup")]
    public int Dup { get; init; } = 1;

    /// <summary>
    /// Prototypes whose cosine exceeds this are merged (ours, beyond the reference). 0.99 merges only
    /// near-copies, which the reference's keep-every-member rule produces, and leaves distinct prototypes alone.
    /// </summary>
    [JsonPropertyName("dedup_cosine")]
    public double DedupCosine { get; init; } = 0.99;

    /// <summary>
    /// Token strings (tokenizer pieces) a variant's first answer token may be skipped over: when the argmax of its
    /// first-position logits is one of them, its measured logits are the next position's, with that token appended
    /// (the reference's caption script drops a leading "▁A"; MODELS.md, "The measured logits"). Empty: always the first
    /// position. Default: LLaVA-1.5's <c>["▁A"]</c>.
    /// </summary>
    [JsonPropertyName("skip_leading_tokens")]
    public IReadOnlyList<string> SkipLeadingTokens { get; init; } = ["\u2581A"];

    /// <summary>Throws <see cref="MiningParameterException"/> naming the first parameter out of its range.</summary>
    public void Validate()
    {
        RequireInUnitInterval(Top1Thres, "--top1-thres");
        RequirePositive(JsdThres, "--jsd-thres");
        RequireNonNegative(KRegion, "--k-region");
        RequireNonNegative(KGlobal, "--k-global");
        if (KRegion == 0 && KGlobal == 0)
        {
            throw new MiningParameterException("--k-region", "--k-region and --k-global must not both be 0: the JSD condition would always hold");
        }

        RequireAtLeast(HeadTopK, 1, "--head-topk");
        RequireAtLeast(JsdTopK, 1, "--jsd-topk");
        RequireAtLeast(ImageClusters, 1, "--image-clusters");
        RequireAtLeast(SmallClusterMax, 1, "--small-cluster-max");
        RequireAtLeast(PrototypeClusters, 1, "--prototype-clusters");
        RequireAtLeast(MinUniqueImages, 0, "--min-unique-images");
        RequireAtLeast(DpcKnnK, 1, "--dpc-knn-k");
        RequireAtLeast(PadTokenId, 0, "--pad-token-id");
        RequireAtLeast(Dup, 1, "--dup");
        RequireInUnitInterval(DedupCosine, "--dedup-cosine");
        if (SkipLeadingTokens is null || SkipLeadingTokens.Any(string.IsNullOrWhiteSpace))
        {
            throw new MiningParameterException("--skip-leading-tokens", "--skip-leading-tokens must list non-empty token strings (or be empty: 'none')");
        }
    }

    /// <summary>Value equality over every parameter, the token list included (a record would compare the list by reference).</summary>
    public bool Equals(MiningParameters? other) => other is not null && ToJson() == other.ToJson();

    /// <inheritdoc />
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(ToJson());

    /// <summary>The parameters as a JSON object with snake_case names (the codebook's <c>mining.parameters</c>).</summary>
    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

    /// <summary>
    /// Parses <see cref="ToJson"/>'s form and validates it. A missing name takes its default (so older or
    /// partial records still read); an unknown name or a wrong type raises <see cref="JsonException"/>.
    /// </summary>
    public static MiningParameters FromJson(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        var parameters = JsonSerializer.Deserialize<MiningParameters>(json, JsonOptions)
            ?? throw new JsonException("mining parameters: expected a JSON object, got null");
        parameters.Validate();
        return parameters;
    }

    /// <summary>
    /// <paramref name="baseline"/> with every name <paramref name="overridesJson"/> gives replaced by its value, validated.
    /// The overrides are a JSON object of <see cref="ToJson"/>'s names; they cannot name the preset (it is chosen on its
    /// own). An unknown name or a wrong type raises <see cref="JsonException"/>, a value out of range <see cref="MiningParameterException"/>.
    /// </summary>
    public static MiningParameters FromJson(string overridesJson, MiningParameters baseline)
    {
        ArgumentNullException.ThrowIfNull(baseline);
        var merged = JsonNode.Parse(baseline.ToJson())!.AsObject();
        foreach (var (name, value) in ParseOverrides(overridesJson))
        {
            merged[name] = value?.DeepClone();
        }

        return FromJson(merged.ToJsonString());
    }

    /// <summary>
    /// Explicit values (a JSON object of <see cref="ToJson"/>'s names, any subset) checked as <see cref="FromJson(string, MiningParameters)"/>
    /// checks them, in one canonical form: the given names only, in <see cref="ToJson"/>'s order and notation, so two
    /// spellings of the same values compare equal.
    /// </summary>
    public static string NormalizeOverrides(string overridesJson)
    {
        var given = ParseOverrides(overridesJson);
        var all = JsonNode.Parse(FromJson(overridesJson, new MiningParameters()).ToJson())!.AsObject();
        var normal = new JsonObject();
        foreach (var (name, value) in all)
        {
            if (given.ContainsKey(name))
            {
                normal[name] = value?.DeepClone();
            }
        }

        return normal.ToJsonString();
    }

    private static JsonObject ParseOverrides(string overridesJson)
    {
        ArgumentNullException.ThrowIfNull(overridesJson);
        var node = JsonNode.Parse(overridesJson);
        if (node is not JsonObject given)
        {
            throw new JsonException($"mining parameters: expected a JSON object, got {node?.GetValueKind().ToString().ToLowerInvariant() ?? "null"}");
        }

        if (given.ContainsKey("preset"))
        {
            throw new MiningParameterException("--preset", "--preset is named on its own, not among the parameter values");
        }

        return given;
    }

    private static void RequirePositive(double value, string option)
    {
        if (!double.IsFinite(value) || value <= 0)
        {
            throw new MiningParameterException(option, $"{option} must be positive, got {Format(value)}");
        }
    }

    private static void RequireNonNegative(double value, string option)
    {
        if (!double.IsFinite(value) || value < 0)
        {
            throw new MiningParameterException(option, $"{option} must be 0 or more, got {Format(value)}");
        }
    }

    private static void RequireInUnitInterval(double value, string option)
    {
        if (!double.IsFinite(value) || value <= 0 || value > 1)
        {
            throw new MiningParameterException(option, $"{option} must lie in (0, 1], got {Format(value)}");
        }
    }

    private static void RequireAtLeast(int value, int minimum, string option)
    {
        if (value < minimum)
        {
            throw new MiningParameterException(option, $"{option} must be at least {minimum}, got {value}");
        }
    }

    private static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
