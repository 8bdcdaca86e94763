using System.Text.Json.Nodes;
using Mining.Kernels.Checkpoints;
using Mining.Kernels.Model;

namespace Mining.Kernels.Tests.Checkpoints;

/// <summary>LLaVA-OneVision's config.json and tensor names: read, defaulted as transformers' LlavaOnevisionConfig / SiglipVisionConfig / Qwen2Config, and saved back.</summary>
public sealed class OnevisionConfigTests
{
    private static string ConfigPath => Path.Combine(TestData.OnevisionFixtureModel, "config.json");

    [Fact]
    public void The_onevision_fixture_config_loads_as_siglip_and_qwen2()
    {
        var config = LlavaConfig.Load(ConfigPath);
        Assert.Equal(LlavaConfig.OnevisionModelType, config.ModelType);
        Assert.Equal(ModelFamily.Onevision, ModelFamily.Of(config));
        Assert.True(config.Vision.IsSiglip);
        Assert.False(config.Vision.VisionUseHead);
        Assert.Equal(("gelu_pytorch_tanh", 1e-6, 6), (config.Vision.HiddenAct, config.Vision.LayerNormEps, config.Vision.GridSize));
        Assert.True(config.Text.IsQwen2);
        Assert.True(config.Text.QkvBias);
        Assert.False(config.Text.OutputBias);
        Assert.Equal((4, 2, 16), (config.Text.NumAttentionHeads, config.Text.NumKeyValueHeads, config.Text.HeadDim));
        Assert.Equal(1e6, config.Text.RopeTheta);
        Assert.Equal((-1, "full", 619), (config.VisionFeatureLayer, config.VisionFeatureSelectStrategy, config.ImageTokenIndex));
        Assert.Equal(36, config.ImageGridPinpoints.Count);
        Assert.True(config.HasImageNewline);
    }

    [Fact]
    public void Omitted_fields_take_the_onevision_siglip_and_qwen2_defaults()
    {
        var config = LlavaConfig.Parse(
            """{"model_type": "llava_onevision", "vision_config": {"hidden_size": 48, "num_attention_heads": 4, "intermediate_size": 96, "num_hidden_layers": 2, "image_size": 32, "patch_size": 8}, "text_config": {"hidden_size": 128, "num_attention_heads": 32}}""",
            "ov.json");
        Assert.Equal(VisionConfig.SiglipModelType, config.Vision.ModelType);
        Assert.Equal(("gelu_pytorch_tanh", 1e-6), (config.Vision.HiddenAct, config.Vision.LayerNormEps));
        Assert.True(config.Vision.VisionUseHead); // SiglipVisionConfig's default; the head is never loaded
        Assert.Equal(TextConfig.Qwen2ModelType, config.Text.ModelType);
        Assert.Equal(32, config.Text.NumKeyValueHeads); // Qwen2Config's fixed default, not the query heads as LLaMA's
        Assert.Equal((151936, 22016, 10000.0, 1e-6), (config.Text.VocabSize, config.Text.IntermediateSize, config.Text.RopeTheta, config.Text.RmsNormEps));
        Assert.False(config.Text.TieWordEmbeddings);
        Assert.Equal((151646, -1, "full"), (config.ImageTokenIndex, config.VisionFeatureLayer, config.VisionFeatureSelectStrategy));
        Assert.Equal(LlavaConfig.OnevisionDefaultGridPinpoints, config.ImageGridPinpoints);
        Assert.Equal((384, 384), config.ImageGridPinpoints[0]);
        Assert.Equal((2304, 2304), config.ImageGridPinpoints[^1]);
    }

    [Fact]
    public void So400m_at_384_pixels_with_14_pixel_patches_is_a_27_by_27_grid()
    {
        var config = LlavaConfig.Parse(
            """{"model_type": "llava_onevision", "vision_config": {"hidden_size": 1152, "intermediate_size": 4304, "patch_size": 14, "image_size": 384, "num_hidden_layers": 26, "num_attention_heads": 16, "vision_use_head": false}, "text_config": {"hidden_size": 3584, "intermediate_size": 18944, "num_attention_heads": 28, "num_key_value_heads": 4, "num_hidden_layers": 28, "vocab_size": 152064, "rope_theta": 1000000.0}}""",
            "ov7b.json");
        Assert.Equal((27, 729), (config.Vision.GridSize, config.Vision.NumPatches));
        var position = LlavaTensorSchema.Expected(config).Single(t => t.Name.EndsWith("position_embedding.weight", StringComparison.Ordinal));
        Assert.Equal([729L, 1152], position.Shape);
    }

    [Fact]
    public void An_absent_vision_config_is_transformers_default_whose_14_heads_do_not_divide_1152()
    {
        var e = Assert.Throws<CheckpointException>(() => LlavaConfig.Parse("""{"model_type": "llava_onevision"}""", "ov.json"));
        Assert.Contains("'vision_config.hidden_size'", e.Message);
        Assert.Contains("not divisible", e.Message);
    }

    [Theory]
    [InlineData("vision_feature_select_strategy", "\"default\"", "'vision_feature_select_strategy'", "no [CLS]")]
    [InlineData("text_config.use_sliding_window", "true", "'text_config.use_sliding_window'", "full attention only")]
    [InlineData("text_config.model_type", "\"qwen2_moe\"", "'text_config.model_type'", "'qwen2'")]
    [InlineData("vision_config.hidden_act", "\"relu\"", "'vision_config.hidden_act'", "'gelu_pytorch_tanh'")]
    public void Unsupported_onevision_fields_are_refused_naming_file_and_field(string field, string valueJson, string named, string problem)
    {
        var json = JsonNode.Parse(File.ReadAllText(ConfigPath))!.AsObject();
        var parts = field.Split('.');
        var section = parts.Length == 2 ? json[parts[0]]!.AsObject() : json;
        section[parts[^1]] = JsonNode.Parse(valueJson);
        var e = Assert.Throws<CheckpointException>(() => LlavaConfig.Parse(json.ToJsonString(), "ov.json"));
        Assert.Contains(named, e.Message);
        Assert.Contains(problem, e.Message);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_written_onevision_config_loads_back_equal(bool omitDefaultFields)
    {
        var config = LlavaConfig.Load(ConfigPath);
        var again = LlavaConfig.Parse(config.ToJson(omitDefaultFields), "again.json");
        Assert.Equal(config, again);
        Assert.Contains("LlavaOnevisionForConditionalGeneration", config.ToJson(omitDefaultFields), StringComparison.Ordinal);
    }

    [Fact]
    public void The_schema_has_siglip_names_qkv_biases_only_and_image_newline()
    {
        var config = LlavaConfig.Load(ConfigPath);
        var names = LlavaTensorSchema.Expected(config).Select(t => t.Name).ToHashSet();
        Assert.Equal(85, names.Count);
        Assert.Contains("vision_tower.vision_model.embeddings.patch_embedding.bias", names);
        Assert.DoesNotContain("vision_tower.vision_model.embeddings.class_embedding", names);
        Assert.DoesNotContain("vision_tower.vision_model.pre_layrnorm.weight", names);
        Assert.Contains("language_model.model.layers.0.self_attn.q_proj.bias", names);
        Assert.Contains("language_model.model.layers.1.self_attn.v_proj.bias", names);
        Assert.DoesNotContain("language_model.model.layers.0.self_attn.o_proj.bias", names);
        Assert.Contains(CheckpointNames.ImageNewline, names);
        Assert.Contains("language_model.lm_head.weight", names);

        var tied = config with { Text = config.Text with { TieWordEmbeddings = true } };
        Assert.DoesNotContain("language_model.lm_head.weight", LlavaTensorSchema.Expected(tied).Select(t => t.Name));
        using var weights = CheckpointWeights.Open(TestData.OnevisionFixtureModel);
        weights.Validate(config);
    }
}
