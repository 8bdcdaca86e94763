using System.Text.Json.Nodes;
using Mining.Kernels.Checkpoints;
using Mining.Kernels.Model;
using Mining.Kernels.Text;

namespace Mining.Kernels.Tests.Checkpoints;

/// <summary>LLaVA-NeXT's config.json and tensor names: read, defaulted as transformers' LlavaNextConfig / LlamaConfig, and saved back.</summary>
public sealed class NextConfigTests
{
    private static string NextConfigPath => Path.Combine(TestData.NextFixtureModel, "config.json");

    [Fact]
    public void The_next_fixture_config_loads_with_llama3_rope_and_grouped_query_attention()
    {
        var config = LlavaConfig.Load(NextConfigPath);
        Assert.Equal(LlavaConfig.NextModelType, config.ModelType);
        Assert.True(config.IsNext);
        Assert.Equal(500000.0, config.Text.RopeTheta);
        Assert.Equal((8, 2, 8), (config.Text.NumAttentionHeads, config.Text.NumKeyValueHeads, config.Text.HeadDim));
        Assert.Equal(1e-5, config.Text.RmsNormEps);
        Assert.Equal(646, config.ImageTokenIndex);
        Assert.Equal(647, config.PadTokenId);
        Assert.Equal(8, config.Vision.GridSize);
    }

    [Fact]
    public void Image_grid_pinpoints_are_read_and_kept_as_height_width_pairs()
    {
        var config = LlavaConfig.Load(NextConfigPath);
        Assert.Equal([(336, 672), (672, 336), (672, 672), (1008, 336), (336, 1008)], config.ImageGridPinpoints);
    }

    [Fact]
    public void Omitted_next_fields_take_transformers_defaults()
    {
        var config = LlavaConfig.Parse("""{"model_type": "llava_next"}""", "next.json");
        Assert.Equal(LlavaConfig.NextDefaultGridPinpoints, config.ImageGridPinpoints);
        Assert.Equal(10000.0, config.Text.RopeTheta); // LlamaConfig's default: a LLaMA-3 config states its 5e5
        Assert.Equal(1e-6, config.Text.RmsNormEps);
        Assert.Equal(32000, config.ImageTokenIndex);
        Assert.Equal(-2, config.VisionFeatureLayer);
        Assert.Equal(336, config.Vision.ImageSize);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void The_config_saves_as_llava_next_and_loads_back_equal(bool omitDefaultFields)
    {
        var config = LlavaConfig.Load(NextConfigPath);
        var json = config.ToJson(omitDefaultFields);
        Assert.Equal(LlavaConfig.NextArchitecture, (string?)JsonNode.Parse(json)!["architectures"]![0]);
        Assert.Equal(config, LlavaConfig.Parse(json, "saved.json"));
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("[[336, 672], [672]]")]
    [InlineData("[[336, -672]]")]
    [InlineData("\"anyres\"")]
    public void Malformed_grid_pinpoints_are_refused_naming_the_field(string value)
    {
        var json = JsonNode.Parse(File.ReadAllText(NextConfigPath))!;
        json["image_grid_pinpoints"] = JsonNode.Parse(value);
        var e = Assert.Throws<CheckpointException>(() => LlavaConfig.Parse(json.ToJsonString(), "bad.json"));
        Assert.Contains("bad.json", e.Message);
        Assert.Contains("'image_grid_pinpoints'", e.Message);
    }

    [Fact]
    public void The_schema_equals_the_next_fixture_files_names_and_shapes_with_image_newline()
    {
        var config = LlavaConfig.Load(NextConfigPath);
        using var file = SafeTensorsFile.Open(Path.Combine(TestData.NextFixtureModel, "model.safetensors"));
        var inFile = file.Tensors.Select(t => $"{t.Name} {t.ShapeText}").Order(StringComparer.Ordinal);
        var expected = LlavaTensorSchema.Expected(config).Select(t => $"{t.Name} {t.ShapeText}").Order(StringComparer.Ordinal);
        Assert.Equal(inFile, expected);
        Assert.Contains(LlavaTensorSchema.Expected(config), t => t.Name == "image_newline" && t.Shape.SequenceEqual([64L]));
    }

    [Fact]
    public void A_llava_1_5_schema_has_no_image_newline()
    {
        var config = LlavaConfig.Load(Path.Combine(TestData.FixtureModel, "config.json"));
        Assert.DoesNotContain(LlavaTensorSchema.Expected(config), t => t.Name == "image_newline");
    }

    [Fact]
    public void Image_newline_maps_between_the_two_layouts()
    {
        Assert.Equal(CheckpointLayout.Published, CheckpointNames.LayoutOf("image_newline"));
        Assert.Equal(CheckpointLayout.Current, CheckpointNames.LayoutOf("model.image_newline"));
        Assert.Equal("image_newline", CheckpointNames.ToCanonical("model.image_newline", CheckpointLayout.Current));
        Assert.Equal("model.image_newline", CheckpointNames.FromCanonical("image_newline", CheckpointLayout.Current));
    }

    [Fact]
    public void The_family_follows_the_model_type()
    {
        var next = ModelFamily.Of(LlavaConfig.Load(NextConfigPath));
        Assert.Equal(("next", TokenizerFamily.ByteLevelBpe, PromptStyle.LlavaLlama3), (next.Name, next.Tokenizer, next.Prompt));
        var llava = ModelFamily.Of(LlavaConfig.Load(Path.Combine(TestData.FixtureModel, "config.json")));
        Assert.Equal(("llava", TokenizerFamily.SentencePiece, PromptStyle.LlavaV1), (llava.Name, llava.Tokenizer, llava.Prompt));
    }
}
