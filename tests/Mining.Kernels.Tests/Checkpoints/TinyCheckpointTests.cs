using System.Text.Json.Nodes;
using Mining.Kernels.Checkpoints;
using Mining.Kernels.Imaging;
using Mining.Kernels.Model;

namespace Mining.Kernels.Tests.Checkpoints;

/// <summary>What a tiny checkpoint of each family holds besides its weights: config, token ids, image processor; and what is refused.</summary>
public sealed class TinyCheckpointTests
{
    [Fact]
    public void The_default_family_is_llava_with_the_fixtures_token_ids()
    {
        var spec = new TinyCheckpointSpec();

        Assert.Equal(ModelFamily.Llava, spec.Family);
        Assert.Equal((400, 401, 448), (spec.ImageTokenIndex, spec.PadTokenId, spec.VocabSize));
        Assert.Equal(LlavaConfig.LlavaModelType, spec.ToConfig().ModelType);
    }

    [Fact]
    public void A_onevision_spec_is_siglip_and_qwen2_read_at_the_last_layer_with_every_patch()
    {
        var config = new TinyCheckpointSpec { Family = ModelFamily.Onevision, TieWordEmbeddings = true }.ToConfig();

        Assert.Equal(LlavaConfig.OnevisionModelType, config.ModelType);
        Assert.True(config.Vision.IsSiglip);
        Assert.True(config.Text.IsQwen2);
        Assert.True(config.Text.TieWordEmbeddings);
        Assert.Equal((-1, "full"), (config.VisionFeatureLayer, config.VisionFeatureSelectStrategy));
        Assert.DoesNotContain("language_model.lm_head.weight", LlavaTensorSchema.Expected(config).Select(t => t.Name));
        config.Validate("tiny onevision");
    }

    [Theory]
    [InlineData("llava", 401, 402)]
    [InlineData("next", 646, 647)]
    public void A_vocabulary_smaller_than_the_tokenizer_is_refused_naming_vocab(string family, int tooSmall, int enough)
    {
        var spec = new TinyCheckpointSpec { Family = ModelFamily.All.Single(f => f.Name == family) };

        var e = Assert.Throws<ArgumentException>(() => TinyCheckpoint.Validate(spec with { VocabSize = tooSmall }));

        Assert.Contains($"--vocab must be at least {enough}", e.Message, StringComparison.Ordinal);
        TinyCheckpoint.Validate(spec with { VocabSize = enough });
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_next_config_json_loads_back_as_the_spec_with_and_without_default_fields(bool omitDefaults)
    {
        var folder = TestData.NewTempFolder();
        var spec = new TinyCheckpointSpec { Family = ModelFamily.Next, OmitDefaultConfigFields = omitDefaults };
        TinyCheckpointWeights.Write(spec, folder);

        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "config.json")))!;
        Assert.Equal("llava_next", (string)json["model_type"]!);
        Assert.Equal("LlavaNextForConditionalGeneration", (string)json["architectures"]![0]!);
        Assert.Equal(500000.0, (double)json["text_config"]!["rope_theta"]!);
        Assert.Equal(omitDefaults, json["image_grid_pinpoints"] is null);
        Assert.Equal(spec.ToConfig(), LlavaConfig.Load(Path.Combine(folder, "config.json")));
    }

    [Fact]
    public void The_next_image_processor_is_clips_at_the_image_size_named_as_llava_next_writes_it()
    {
        var spec = new TinyCheckpointSpec { Family = ModelFamily.Next, Grid = 6 };
        var text = TinyCheckpoint.PreprocessorJson(spec);

        var config = PreprocessorConfig.Parse(text, "next");
        Assert.Equal((84, 84, 84), (config.ShortestEdge, config.CropHeight, config.CropWidth));
        Assert.Equal(PreprocessorConfig.OpenAiClipMean, config.ImageMean);
        Assert.Equal(PreprocessorConfig.OpenAiClipStd, config.ImageStd);
        var json = JsonNode.Parse(text)!;
        Assert.Equal("LlavaNextImageProcessor", (string)json["image_processor_type"]!);
        Assert.Equal("LlavaNextProcessor", (string)json["processor_class"]!);
        Assert.Equal(5, json["image_grid_pinpoints"]!.AsArray().Count);
    }

    [Fact]
    public void The_onevision_image_processor_is_a_square_resize_without_crop_and_mean_and_std_one_half()
    {
        var json = JsonNode.Parse(TinyCheckpoint.PreprocessorJson(new TinyCheckpointSpec { Family = ModelFamily.Onevision, Grid = 6 }))!;

        Assert.Equal(84, (int)json["size"]!["height"]!);
        Assert.Equal(84, (int)json["size"]!["width"]!);
        Assert.Null(json["crop_size"]);
        Assert.Equal([0.5, 0.5, 0.5], json["image_mean"]!.AsArray().Select(v => (double)v!));
        Assert.Equal([0.5, 0.5, 0.5], json["image_std"]!.AsArray().Select(v => (double)v!));
        Assert.Equal(3, (int)json["resample"]!);
        Assert.Equal("LlavaOnevisionImageProcessor", (string)json["image_processor_type"]!);
    }

    [Fact]
    public void A_next_checkpoint_holds_the_tokenizer_files_of_llama3_and_no_sentencepiece_model()
    {
        var folder = Path.Combine(TestData.NewTempFolder(), "tiny");
        TinyCheckpoint.Create(new TinyCheckpointSpec { Family = ModelFamily.Next }, folder);

        Assert.Equal(
            ["config.json", "model.safetensors", "preprocessor_config.json", "special_tokens_map.json", "tokenizer.json", "tokenizer_config.json"],
            Directory.GetFiles(folder).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }
}
