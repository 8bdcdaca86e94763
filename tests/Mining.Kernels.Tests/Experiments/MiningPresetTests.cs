using System.Text.Json;
using Mining.Kernels.Experiments;
using Mining.Kernels.Model;
using Mining.Kernels.Text;
using Mining.Probe.Codebooks;

namespace Mining.Kernels.Tests.Experiments;

public sealed class MiningPresetTests
{
    /// <summary>
    /// MODELS.md's "Presets" table, written out: name, top1_thres, jsd_thres, k_region, k_global, image_clusters,
    /// small_cluster_max, prototype_clusters, min_unique_images, pad, skip_leading_tokens (comma-separated, "" = none).
    /// </summary>
    public static TheoryData<string, double, double, double, double, int, int, int, int, string, string> Table => new()
    {
        { "llava-1.5-7b", 0.15, 2e-3, 1, 16, 8, 8, 64, 64, "0", "\u2581A" },
        { "llava-1.5-13b", 0.077, 1.8e-3, 1, 16, 8, 8, 64, 64, "0", "\u2581A" },
        { "llava-onevision-qwen2-7b", 0.08, 1.8e-3, 1, 16, 8, 3, 24, 16, "<|endoftext|>", "" },
        { "llava-next-llama3-8b", 0.1, 2e-3, 1, 16, 8, 8, 64, 64, "0", "" },
    };

    [Theory]
    [MemberData(nameof(Table))]
    public void A_preset_resolves_to_the_values_of_the_models_table(
        string name, double top1, double jsd, double kRegion, double kGlobal, int imageClusters, int smallClusterMax, int prototypeClusters, int minUniqueImages, string pad, string skip)
    {
        var preset = MiningPreset.Named(name);

        var p = preset.Resolve("{}", () => new VocabularyTokenizer(new() { ["<|endoftext|>"] = 151643 }));

        Assert.Equal(name, p.Preset);
        Assert.Equal(top1, p.Top1Thres);
        Assert.Equal(jsd, p.JsdThres);
        Assert.Equal(kRegion, p.KRegion);
        Assert.Equal(kGlobal, p.KGlobal);
        Assert.Equal(imageClusters, p.ImageClusters);
        Assert.Equal(smallClusterMax, p.SmallClusterMax);
        Assert.Equal(prototypeClusters, p.PrototypeClusters);
        Assert.Equal(minUniqueImages, p.MinUniqueImages);
        Assert.Equal(pad == "0" ? 0 : 151643, p.PadTokenId);
        Assert.Equal(pad, preset.Pad.ToString());
        Assert.Equal(skip.Length == 0 ? [] : skip.Split(','), p.SkipLeadingTokens);

        // What no preset sets keeps the method's defaults.
        Assert.Equal(50, p.HeadTopK);
        Assert.Equal(10, p.JsdTopK);
        Assert.Equal(5, p.DpcKnnK);
        Assert.Equal(1, p.Dup);
        Assert.Equal(0.99, p.DedupCosine);
    }

    [Fact]
    public void The_presets_are_the_four_of_the_models_table_in_its_order()
    {
        Assert.Equal(["llava-1.5-7b", "llava-1.5-13b", "llava-onevision-qwen2-7b", "llava-next-llama3-8b"], MiningPreset.All.Select(p => p.Name));
    }

    [Fact]
    public void An_explicit_value_overrides_the_preset_and_the_rest_stay_the_presets()
    {
        var p = MiningPreset.Named("llava-1.5-13b").Resolve("""{"top1_thres":0.3,"min_unique_images":2,"skip_leading_tokens":[]}""", null);

        Assert.Equal("llava-1.5-13b", p.Preset);
        Assert.Equal(0.3, p.Top1Thres);
        Assert.Equal(2, p.MinUniqueImages);
        Assert.Empty(p.SkipLeadingTokens);
        Assert.Equal(1.8e-3, p.JsdThres);
        Assert.Equal(64, p.PrototypeClusters);
    }

    [Fact]
    public void An_explicit_pad_token_id_overrides_a_pad_token_without_asking_the_tokenizer()
    {
        var p = MiningPreset.Named("llava-onevision-qwen2-7b").Resolve("""{"pad_token_id":7}""", () => throw new InvalidOperationException("the tokenizer was read"));

        Assert.Equal(7, p.PadTokenId);
        Assert.Equal(3, p.SmallClusterMax);
    }

    [Fact]
    public void An_overridden_value_out_of_range_is_refused_naming_its_option()
    {
        var e = Assert.Throws<MiningParameterException>(() => MiningPreset.Named("llava-1.5-7b").Resolve("""{"jsd_thres":-1}""", null));

        Assert.Equal("--jsd-thres", e.Option);
    }

    [Fact]
    public void The_preset_cannot_be_named_among_the_overrides()
    {
        var e = Assert.Throws<MiningParameterException>(() => MiningPreset.Named("llava-1.5-7b").Resolve("""{"preset":"llava-1.5-13b"}""", null));

        Assert.Equal("--preset", e.Option);
    }

    [Fact]
    public void An_unknown_name_is_refused_in_one_line_listing_the_known_names()
    {
        var e = Assert.Throws<MiningParameterException>(() => MiningPreset.Named("llava-2"));

        Assert.Equal("--preset", e.Option);
        Assert.Equal("--preset: unknown preset 'llava-2' (known: llava-1.5-7b, llava-1.5-13b, llava-onevision-qwen2-7b, llava-next-llama3-8b)", e.Message);
    }

    [Fact]
    public void Each_family_defaults_to_its_preset()
    {
        Assert.Equal("llava-1.5-7b", MiningPreset.DefaultFor(ModelFamily.Llava).Name);
        Assert.Equal("llava-onevision-qwen2-7b", MiningPreset.DefaultFor(ModelFamily.Onevision).Name);
        Assert.Equal("llava-next-llama3-8b", MiningPreset.DefaultFor(ModelFamily.Next).Name);
    }

    [Fact]
    public void A_family_record_built_elsewhere_finds_its_preset_by_name()
    {
        var onevision = new ModelFamily("onevision", TokenizerFamily.ByteLevelBpe, PromptStyle.Qwen15);

        Assert.Equal("llava-onevision-qwen2-7b", MiningPreset.DefaultFor(onevision).Name);
        Assert.Throws<MiningParameterException>(() => MiningPreset.DefaultFor(onevision with { Name = "llava-2" }));
    }

    [Fact]
    public void The_fixture_checkpoints_default_to_their_familys_preset()
    {
        Assert.Equal("llava-1.5-7b", MiningPreset.DefaultFor(ModelFamily.TryOf(TestData.FixtureModel)!).Name);
        Assert.Equal("llava-next-llama3-8b", MiningPreset.DefaultFor(ModelFamily.TryOf(TestData.NextFixtureModel)!).Name);
    }

    [Fact]
    public void A_pad_token_is_resolved_through_a_checkpoints_tokenizer()
    {
        // The NeXT fixture's tokenizer.json lists <|end_of_text|> among its added tokens with id 637.
        var tokenizer = ITextTokenizer.Load(TestData.NextFixtureModel, TokenizerFamily.ByteLevelBpe);

        Assert.Equal(637, PresetPad.OfToken("<|end_of_text|>").Resolve(() => tokenizer, "test"));
    }

    [Fact]
    public void A_pad_token_the_tokenizer_lacks_is_refused_naming_the_token_and_the_preset()
    {
        var tokenizer = ITextTokenizer.Load(TestData.NextFixtureModel, TokenizerFamily.ByteLevelBpe);

        var e = Assert.Throws<MiningParameterException>(() => MiningPreset.Named("llava-onevision-qwen2-7b").Resolve("{}", () => tokenizer));

        Assert.Equal("--preset", e.Option);
        Assert.Contains("'<|endoftext|>'", e.Message, StringComparison.Ordinal);
        Assert.Contains("llava-onevision-qwen2-7b", e.Message, StringComparison.Ordinal);
        Assert.Contains("--pad-token-id", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_pad_token_without_a_tokenizer_is_refused()
    {
        var e = Assert.Throws<MiningParameterException>(() => MiningPreset.Named("llava-onevision-qwen2-7b").Resolve("{}", null));

        Assert.Contains("'<|endoftext|>'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Overrides_have_one_canonical_form()
    {
        Assert.Equal("""{"top1_thres":0.2,"jsd_thres":0.002}""", MiningParameters.NormalizeOverrides("""{ "jsd_thres": 2E-3, "top1_thres": 0.2 }"""));
        Assert.Equal("{}", MiningParameters.NormalizeOverrides("{}"));
        Assert.Throws<JsonException>(() => MiningParameters.NormalizeOverrides("""{"top_1_thres":0.2}"""));
        Assert.Throws<JsonException>(() => MiningParameters.NormalizeOverrides("[]"));
    }

    [Fact]
    public void The_codebook_records_the_preset_and_every_resolved_value_and_reads_them_back()
    {
        var resolved = MiningPreset.Named("llava-next-llama3-8b").Resolve("""{"top1_thres":0.12}""", null);
        var path = Path.Combine(TestData.NewTempFolder(), "cb.parquet");
        var codebook = new Codebook(
            new CodebookMetadata("m", 4, 1, ["job"], resolved.ToJson(), new DateTimeOffset(2025, 1, 2, 3, 4, 5, TimeSpan.Zero)),
            [new CodebookEntry(0, [1f, 0f, 0f, 0f], "img", 0, 2, 1)]);

        CodebookParquet.Write(codebook, path);
        var back = CodebookParquet.Read(path).Metadata.ParametersJson;

        using var json = JsonDocument.Parse(back);
        var root = json.RootElement;
        Assert.Equal("llava-next-llama3-8b", root.GetProperty("preset").GetString());
        Assert.Equal(0.12, root.GetProperty("top1_thres").GetDouble());
        Assert.Equal(0.002, root.GetProperty("jsd_thres").GetDouble());
        Assert.Equal(1, root.GetProperty("k_region").GetDouble());
        Assert.Equal(16, root.GetProperty("k_global").GetDouble());
        Assert.Equal(8, root.GetProperty("image_clusters").GetInt32());
        Assert.Equal(8, root.GetProperty("small_cluster_max").GetInt32());
        Assert.Equal(64, root.GetProperty("prototype_clusters").GetInt32());
        Assert.Equal(64, root.GetProperty("min_unique_images").GetInt32());
        Assert.Equal(0, root.GetProperty("pad_token_id").GetInt32());
        Assert.Equal(0, root.GetProperty("skip_leading_tokens").GetArrayLength());
        Assert.Equal(resolved, MiningParameters.FromJson(back));
    }

    [Fact]
    public void A_record_made_before_presets_reads_with_no_preset_and_writes_none()
    {
        var old = MiningParameters.FromJson("""{"top1_thres":0.15,"jsd_thres":0.002}""");

        Assert.Null(old.Preset);
        Assert.DoesNotContain("preset", old.ToJson(), StringComparison.Ordinal);
    }

    /// <summary>A tokenizer that knows only the tokens it is given; the preset asks it for nothing else.</summary>
    private sealed class VocabularyTokenizer(Dictionary<string, int> vocabulary) : ITextTokenizer
    {
        public TokenizerFamily Family => TokenizerFamily.ByteLevelBpe;

        public int? BosId => null;

        public int? EosId => null;

        public IReadOnlyList<string> DefaultSkipLeadingTokens => [];

        public int? TokenId(string token) => vocabulary.TryGetValue(token, out var id) ? id : null;

        public int[] Encode(string text) => throw new NotSupportedException();

        public int[] EncodeWithSpecialTokens(string text) => throw new NotSupportedException();

        public string IdToPiece(int id) => throw new NotSupportedException();

        public string Decode(int id) => throw new NotSupportedException();

        public string Decode(IReadOnlyList<int> ids) => throw new NotSupportedException();
    }
}
