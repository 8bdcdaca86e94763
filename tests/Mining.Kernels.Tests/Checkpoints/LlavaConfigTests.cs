using System.Text.Json.Nodes;
using Mining.Kernels.Checkpoints;

namespace Mining.Kernels.Tests.Checkpoints;

public sealed class LlavaConfigTests
{
    /// <summary>llava-hf/llava-1.5-7b-hf's config.json as published: text_config and vision_config give only a few fields.</summary>
    private const string Llava15Config7B = """
        {
          "architectures": ["LlavaForConditionalGeneration"],
          "ignore_index": -100,
          "image_token_index": 32000,
          "model_type": "llava",
          "pad_token_id": 32001,
          "projector_hidden_act": "gelu",
          "text_config": {
            "_name_or_path": "lmsys/vicuna-7b-v1.5",
            "architectures": ["LlamaForCausalLM"],
            "max_position_embeddings": 4096,
            "model_type": "llama",
            "rms_norm_eps": 1e-05,
            "torch_dtype": "float16",
            "vocab_size": 32064
          },
          "tie_word_embeddings": false,
          "torch_dtype": "float16",
          "transformers_version": "4.36.0.dev0",
          "vision_config": {
            "hidden_size": 1024,
            "image_size": 336,
            "intermediate_size": 4096,
            "model_type": "clip_vision_model",
            "num_attention_heads": 16,
            "num_hidden_layers": 24,
            "patch_size": 14,
            "projection_dim": 768,
            "vocab_size": 32000
          },
          "vision_feature_layer": -2,
          "vision_feature_select_strategy": "default",
          "vocab_size": 32064
        }
        """;

    private static string FixtureConfig => Path.Combine(TestData.FixtureModel, "config.json");

    [Fact]
    public void The_fixture_config_loads_with_its_values()
    {
        var config = LlavaConfig.Load(FixtureConfig);
        Assert.Equal(400, config.ImageTokenIndex);
        Assert.Equal(401, config.PadTokenId);
        Assert.Equal(448, config.VocabSize);
        Assert.Equal(-2, config.VisionFeatureLayer);
        Assert.Equal("default", config.VisionFeatureSelectStrategy);
        Assert.Equal("gelu", config.ProjectorHiddenAct);
        Assert.Equal("float32", config.TorchDtype);

        var text = config.Text;
        Assert.Equal((64, 176, 2, 4, 2, 16), (text.HiddenSize, text.IntermediateSize, text.NumHiddenLayers, text.NumAttentionHeads, text.NumKeyValueHeads, text.HeadDim));
        Assert.Equal(448, text.VocabSize);
        Assert.Equal(1024, text.MaxPositionEmbeddings);
        Assert.Equal(1e-5, text.RmsNormEps);
        Assert.Equal(1e4, text.RopeTheta);
        Assert.Equal("silu", text.HiddenAct);
        Assert.False(text.AttentionBias || text.MlpBias || text.TieWordEmbeddings);

        var vision = config.Vision;
        Assert.Equal((48, 84, 14, 128, 4, 3, 3), (vision.HiddenSize, vision.ImageSize, vision.PatchSize, vision.IntermediateSize, vision.NumAttentionHeads, vision.NumHiddenLayers, vision.NumChannels));
        Assert.Equal(6, vision.GridSize);
        Assert.Equal(36, vision.NumPatches);
        Assert.Equal(32, vision.ProjectionDim);
        Assert.Equal("quick_gelu", vision.HiddenAct);
        Assert.Equal(1e-5, vision.LayerNormEps);
    }

    [Fact]
    public void The_llava_hf_7b_config_fills_its_missing_fields_with_llama_defaults()
    {
        var config = LlavaConfig.Parse(Llava15Config7B, "llava-1.5-7b-hf/config.json");
        var text = config.Text;
        Assert.Equal((4096, 11008, 32, 32, 32, 128), (text.HiddenSize, text.IntermediateSize, text.NumHiddenLayers, text.NumAttentionHeads, text.NumKeyValueHeads, text.HeadDim));
        Assert.Equal(32064, config.VocabSize);
        Assert.Equal(4096, text.MaxPositionEmbeddings);
        Assert.Equal(1e-5, text.RmsNormEps);
        Assert.Equal(10000.0, text.RopeTheta);
        Assert.Equal("silu", text.HiddenAct);
        Assert.Equal(24, config.Vision.GridSize);
        Assert.Equal("quick_gelu", config.Vision.HiddenAct);
        Assert.Equal(1e-5, config.Vision.LayerNormEps);
        Assert.Equal(3, config.Vision.NumChannels);
        Assert.Equal(32001, config.PadTokenId);
        Assert.Equal("float16", config.TorchDtype);
    }

    [Fact]
    public void Removed_fields_take_transformers_defaults()
    {
        var json = """
            {
              "model_type": "llava",
              "text_config": { "hidden_size": 64, "num_attention_heads": 4 },
              "vision_config": { "hidden_size": 48, "num_attention_heads": 4, "image_size": 84, "patch_size": 14 }
            }
            """;
        var config = LlavaConfig.Parse(json, "stripped.json");
        var text = config.Text;
        Assert.Equal(1e-6, text.RmsNormEps);
        Assert.Equal(10000.0, text.RopeTheta);
        Assert.Equal("silu", text.HiddenAct);
        Assert.Equal(4, text.NumKeyValueHeads);
        Assert.Equal(16, text.HeadDim);
        Assert.Equal((11008, 32, 32000, 2048), (text.IntermediateSize, text.NumHiddenLayers, text.VocabSize, text.MaxPositionEmbeddings));
        Assert.False(text.AttentionBias || text.MlpBias || text.TieWordEmbeddings);

        var vision = config.Vision;
        Assert.Equal("quick_gelu", vision.HiddenAct);
        Assert.Equal(1e-5, vision.LayerNormEps);
        Assert.Equal((3072, 12, 3, 512), (vision.IntermediateSize, vision.NumHiddenLayers, vision.NumChannels, vision.ProjectionDim));

        Assert.Equal(32000, config.ImageTokenIndex);
        Assert.Null(config.PadTokenId);
        Assert.Equal(-2, config.VisionFeatureLayer);
        Assert.Equal("default", config.VisionFeatureSelectStrategy);
        Assert.Equal("gelu", config.ProjectorHiddenAct);
        Assert.Null(config.TorchDtype);
    }

    [Fact]
    public void A_text_config_without_model_type_is_llama_as_in_transformers()
    {
        var config = LlavaConfig.Parse("""{"model_type": "llava", "text_config": {"hidden_size": 64, "num_attention_heads": 4}}""", "c.json");
        Assert.Equal(64, config.Text.HiddenSize);
    }

    [Fact]
    public void Absent_sub_configs_are_llavas_own_defaults()
    {
        // configuration_llava.py: no vision_config → CLIP ViT-L/14-336 sizes; no text_config → LlamaConfig().
        var config = LlavaConfig.Parse("""{"model_type": "llava"}""", "c.json");
        Assert.Equal((1024, 336, 14, 4096, 16, 24, 768), (config.Vision.HiddenSize, config.Vision.ImageSize, config.Vision.PatchSize, config.Vision.IntermediateSize, config.Vision.NumAttentionHeads, config.Vision.NumHiddenLayers, config.Vision.ProjectionDim));
        Assert.Equal(4096, config.Text.HiddenSize);
        Assert.Equal(32, config.Text.NumKeyValueHeads);
    }

    [Fact]
    public void Transformers_5_rope_parameters_give_rope_theta()
    {
        var config = LlavaConfig.Parse(
            """{"model_type": "llava", "text_config": {"rope_parameters": {"rope_type": "default", "rope_theta": 500000.0}, "rope_scaling": null}}""", "c.json");
        Assert.Equal(500000.0, config.Text.RopeTheta);
    }

    [Fact]
    public void A_missing_config_file_is_refused_with_its_path()
    {
        var path = Path.Combine(TestData.NewTempFolder(), "config.json");
        var e = Assert.Throws<CheckpointException>(() => LlavaConfig.Load(path));
        Assert.Contains(path, e.Message);
        Assert.Contains("not found", e.Message);
    }

    [Fact]
    public void A_config_that_is_not_json_is_refused()
    {
        var path = Path.Combine(TestData.NewTempFolder(), "config.json");
        File.WriteAllText(path, "{\"model_type\": \"llava\",");
        var e = Assert.Throws<CheckpointException>(() => LlavaConfig.Load(path));
        Assert.Contains(path, e.Message);
        Assert.Contains("not valid JSON", e.Message);
    }

    [Theory]
    [InlineData("model_type", "\"qwen2_vl\"", "'model_type'", "LLaVA-OneVision")]
    [InlineData("model_type", "\"bert\"", "'model_type'", "model_type 'llava'")]
    [InlineData("text_config.model_type", "\"mistral\"", "'text_config.model_type'", "'llama'")]
    [InlineData("vision_config.model_type", "\"dinov2\"", "'vision_config.model_type'", "'clip_vision_model'")]
    [InlineData("text_config.hidden_size", "\"64\"", "'text_config.hidden_size'", "must be an integer")]
    [InlineData("text_config.hidden_size", "64.5", "'text_config.hidden_size'", "must be an integer")]
    [InlineData("text_config.num_hidden_layers", "0", "'text_config.num_hidden_layers'", "positive")]
    [InlineData("vision_config.patch_size", "-14", "'vision_config.patch_size'", "positive")]
    [InlineData("text_config.rms_norm_eps", "\"tiny\"", "'text_config.rms_norm_eps'", "positive number")]
    [InlineData("text_config.num_attention_heads", "5", "'text_config.hidden_size'", "not divisible by text_config.num_attention_heads")]
    [InlineData("text_config.num_key_value_heads", "3", "'text_config.num_attention_heads'", "not divisible by text_config.num_key_value_heads")]
    [InlineData("vision_config.num_attention_heads", "5", "'vision_config.hidden_size'", "not divisible")]
    [InlineData("vision_config.image_size", "90", "'vision_config.image_size'", "not divisible by vision_config.patch_size")]
    [InlineData("text_config.hidden_act", "\"gelu\"", "'text_config.hidden_act'", "'silu'")]
    [InlineData("vision_config.hidden_act", "\"relu\"", "'vision_config.hidden_act'", "'gelu_pytorch_tanh'")]
    [InlineData("projector_hidden_act", "\"relu\"", "'projector_hidden_act'", "'gelu'")]
    [InlineData("vision_feature_select_strategy", "\"full\"", "'vision_feature_select_strategy'", "square grid")]
    [InlineData("vision_feature_layer", "[-2, -5]", "'vision_feature_layer'", "one vision layer")]
    [InlineData("vision_feature_layer", "-5", "'vision_feature_layer'", "outside")]
    [InlineData("text_config.rope_scaling", "{\"type\": \"linear\", \"factor\": 2.0}", "'text_config.rope_scaling'", "plain RoPE only")]
    [InlineData("text_config.rope_parameters", "{\"rope_type\": \"llama3\", \"factor\": 8.0}", "'text_config.rope_parameters'", "plain RoPE only")]
    public void Unsupported_or_inconsistent_fields_are_refused_naming_file_and_field(string field, string valueJson, string named, string problem)
    {
        var path = WriteFixtureConfigWith(field, JsonNode.Parse(valueJson));
        var e = Assert.Throws<CheckpointException>(() => LlavaConfig.Load(path));
        Assert.Contains(path, e.Message);
        Assert.Contains(named, e.Message);
        Assert.Contains(problem, e.Message);
    }

    [Fact]
    public void A_config_without_model_type_is_refused()
    {
        var path = WriteFixtureConfigWith("model_type", null, remove: true);
        var e = Assert.Throws<CheckpointException>(() => LlavaConfig.Load(path));
        Assert.Contains(path, e.Message);
        Assert.Contains("'model_type' is missing", e.Message);
    }

    [Fact]
    public void Written_config_loads_back_equal_with_and_without_default_fields()
    {
        var config = LlavaConfig.Load(FixtureConfig);
        Assert.Equal(config, LlavaConfig.Parse(config.ToJson(), "full.json"));
        Assert.Equal(config, LlavaConfig.Parse(config.ToJson(omitDefaultFields: true), "short.json"));

        var llava7B = LlavaConfig.Parse(Llava15Config7B, "7b.json");
        Assert.Equal(llava7B, LlavaConfig.Parse(llava7B.ToJson(omitDefaultFields: true), "7b-short.json"));
    }

    [Fact]
    public void Omitting_defaults_removes_exactly_the_default_valued_fields()
    {
        var config = LlavaConfig.Parse(Llava15Config7B, "7b.json");
        var json = JsonNode.Parse(config.ToJson(omitDefaultFields: true))!.AsObject();
        var text = json["text_config"]!.AsObject();
        var vision = json["vision_config"]!.AsObject();

        Assert.Equal(["model_type", "vocab_size", "max_position_embeddings", "rms_norm_eps"], text.Select(p => p.Key));
        Assert.Equal(["model_type", "hidden_size", "image_size", "intermediate_size", "num_attention_heads", "num_hidden_layers", "patch_size", "projection_dim"], vision.Select(p => p.Key));
        Assert.False(json.ContainsKey("vision_feature_layer"));
        Assert.False(json.ContainsKey("projector_hidden_act"));
        Assert.False(json.ContainsKey("image_token_index"));
        Assert.Equal(32001, (int)json["pad_token_id"]!);
    }

    [Fact]
    public void The_full_form_uses_the_published_layout()
    {
        var json = JsonNode.Parse(LlavaConfig.Load(FixtureConfig).ToJson())!.AsObject();
        Assert.Equal("LlavaForConditionalGeneration", (string)json["architectures"]![0]!);
        Assert.Equal("llava", (string)json["model_type"]!);
        Assert.Equal("llama", (string)json["text_config"]!["model_type"]!);
        Assert.Equal(2, (int)json["text_config"]!["num_key_value_heads"]!);
        Assert.Equal(1e-5, (double)json["text_config"]!["rms_norm_eps"]!);
        Assert.Equal("clip_vision_model", (string)json["vision_config"]!["model_type"]!);
        Assert.Equal(-2, (int)json["vision_feature_layer"]!);
        Assert.Equal(448, (int)json["vocab_size"]!);
    }

    private static string WriteFixtureConfigWith(string field, JsonNode? value, bool remove = false)
    {
        var root = JsonNode.Parse(File.ReadAllText(FixtureConfig))!.AsObject();
        var parts = field.Split('.');
        var target = root;
        foreach (var part in parts[..^1])
        {
            target = target[part]!.AsObject();
        }

        if (remove)
        {
            target.Remove(parts[^1]);
        }
        else
        {
            target[parts[^1]] = value;
        }

        var path = Path.Combine(TestData.NewTempFolder(), "config.json");
        File.WriteAllText(path, root.ToJsonString());
        return path;
    }
}
