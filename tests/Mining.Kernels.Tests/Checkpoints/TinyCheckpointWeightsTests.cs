using System.Text.Json.Nodes;
using Mining.Kernels.Checkpoints;

namespace Mining.Kernels.Tests.Checkpoints;

public sealed class TinyCheckpointWeightsTests
{
    [Fact]
    public void A_tiny_checkpoint_loads_and_matches_its_schema()
    {
        var folder = TestData.NewTempFolder();
        var spec = new TinyCheckpointSpec();
        TinyCheckpointWeights.Write(spec, folder);

        var config = LlavaConfig.Load(Path.Combine(folder, "config.json"));
        Assert.Equal(spec.ToConfig(), config);
        Assert.Equal(8, config.Vision.GridSize);
        Assert.Equal(112, config.Vision.ImageSize);
        using var weights = CheckpointWeights.Open(folder);
        weights.Validate(config);
        Assert.Equal(LlavaTensorSchema.Expected(config).Select(t => t.Name), weights.Names);
    }

    [Fact]
    public void The_same_spec_and_seed_give_identical_bytes()
    {
        var spec = new TinyCheckpointSpec { Seed = 7, Shards = 2, DType = SafeTensorDType.BF16 };
        var first = TestData.NewTempFolder();
        var second = TestData.NewTempFolder();
        TinyCheckpointWeights.Write(spec, first);
        TinyCheckpointWeights.Write(spec, second);
        var files = Directory.GetFiles(first).Select(Path.GetFileName).Order().ToList();
        Assert.Equal(files, Directory.GetFiles(second).Select(Path.GetFileName).Order());
        foreach (var file in files)
        {
            Assert.Equal(File.ReadAllBytes(Path.Combine(first, file!)), File.ReadAllBytes(Path.Combine(second, file!)));
        }
    }

    [Fact]
    public void Another_seed_gives_other_weights()
    {
        var first = TestData.NewTempFolder();
        var second = TestData.NewTempFolder();
        TinyCheckpointWeights.Write(new TinyCheckpointSpec { Seed = 1 }, first);
        TinyCheckpointWeights.Write(new TinyCheckpointSpec { Seed = 2 }, second);
        using var a = CheckpointWeights.Open(first);
        using var b = CheckpointWeights.Open(second);
        Assert.NotEqual(a.ReadFloat32("language_model.lm_head.weight"), b.ReadFloat32("language_model.lm_head.weight"));
    }

    [Fact]
    public void Shards_are_named_like_transformers_and_indexed()
    {
        var folder = TestData.NewTempFolder();
        TinyCheckpointWeights.Write(new TinyCheckpointSpec { Shards = 3 }, folder);
        Assert.Equal(
            ["config.json", "model-00001-of-00003.safetensors", "model-00002-of-00003.safetensors", "model-00003-of-00003.safetensors", "model.safetensors.index.json"],
            Directory.GetFiles(folder).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        var index = JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "model.safetensors.index.json")))!;
        var shardSizes = Directory.GetFiles(folder, "model-*").Select(f => HandMadeSafeTensors.Split(f).Data.Length).ToList();
        Assert.Equal(shardSizes.Sum(), (long)index["metadata"]!["total_size"]!);
        using var weights = CheckpointWeights.Open(folder);
        Assert.Equal(3, weights.Files.Count);
        weights.Validate(LlavaConfig.Load(Path.Combine(folder, "config.json")));
    }

    [Fact]
    public void The_current_layout_stores_transformers_4_52_names()
    {
        var folder = TestData.NewTempFolder();
        TinyCheckpointWeights.Write(new TinyCheckpointSpec { Layout = CheckpointLayout.Current }, folder);
        var (header, _) = HandMadeSafeTensors.Split(Path.Combine(folder, "model.safetensors"));
        var stored = JsonNode.Parse(header)!.AsObject().Select(p => p.Key).ToList();
        Assert.Contains("lm_head.weight", stored);
        Assert.Contains("model.language_model.embed_tokens.weight", stored);
        Assert.Contains("model.vision_tower.vision_model.pre_layrnorm.bias", stored);
        Assert.Contains("model.multi_modal_projector.linear_2.weight", stored);
        Assert.DoesNotContain(stored, n => n.StartsWith("language_model.", StringComparison.Ordinal));
    }

    [Fact]
    public void Values_depend_on_the_seed_and_name_not_on_layout_or_sharding()
    {
        var published = TestData.NewTempFolder();
        var current = TestData.NewTempFolder();
        TinyCheckpointWeights.Write(new TinyCheckpointSpec { Seed = 3 }, published);
        TinyCheckpointWeights.Write(new TinyCheckpointSpec { Seed = 3, Layout = CheckpointLayout.Current, Shards = 4 }, current);
        using var a = CheckpointWeights.Open(published);
        using var b = CheckpointWeights.Open(current);
        Assert.Equal(CheckpointLayout.Current, b.Layout);
        foreach (var name in a.Names)
        {
            Assert.Equal(a.ReadFloat32(name), b.ReadFloat32(name));
        }
    }

    [Fact]
    public void Omitted_default_fields_are_absent_from_config_json()
    {
        var folder = TestData.NewTempFolder();
        TinyCheckpointWeights.Write(new TinyCheckpointSpec { OmitDefaultConfigFields = true }, folder);
        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "config.json")))!;
        Assert.Null(json["text_config"]!["hidden_act"]);
        Assert.Null(json["text_config"]!["rope_theta"]);
        Assert.Null(json["vision_config"]!["hidden_act"]);
        Assert.Null(json["vision_config"]!["layer_norm_eps"]);
        Assert.Null(json["vision_feature_layer"]);
        Assert.Equal(1e-5, (double)json["text_config"]!["rms_norm_eps"]!);
        Assert.Equal(new TinyCheckpointSpec().ToConfig(), LlavaConfig.Load(Path.Combine(folder, "config.json")));
    }

    [Fact]
    public void Weights_have_the_scales_that_keep_activations_of_order_one()
    {
        var folder = TestData.NewTempFolder();
        TinyCheckpointWeights.Write(new TinyCheckpointSpec(), folder);
        using var weights = CheckpointWeights.Open(folder);

        var norm = weights.ReadFloat32("language_model.model.layers.0.input_layernorm.weight");
        Assert.InRange(norm.Average(), 0.95, 1.05);
        Assert.InRange(StandardDeviation(norm), 0.05, 0.15);

        // gate_proj [128, 64]: standard deviation 1/√64 = 0.125 over 8192 values.
        var gate = weights.ReadFloat32("language_model.model.layers.0.mlp.gate_proj.weight");
        Assert.InRange(gate.Average(), -0.01, 0.01);
        Assert.InRange(StandardDeviation(gate), 0.115, 0.135);
    }

    [Fact]
    public void Writing_into_a_folder_that_holds_weights_is_refused()
    {
        var folder = TestData.NewTempFolder();
        TinyCheckpointWeights.Write(new TinyCheckpointSpec(), folder);
        var e = Assert.Throws<CheckpointException>(() => TinyCheckpointWeights.Write(new TinyCheckpointSpec(), folder));
        Assert.Contains(folder, e.Message);
        Assert.Contains("already holds weights", e.Message);
    }

    private static double StandardDeviation(float[] values)
    {
        var mean = values.Average();
        return Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / values.Length);
    }
}
