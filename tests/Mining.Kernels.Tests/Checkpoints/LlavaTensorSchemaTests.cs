using Mining.Kernels.Checkpoints;

namespace Mining.Kernels.Tests.Checkpoints;

public sealed class LlavaTensorSchemaTests
{
    [Fact]
    public void The_schema_equals_the_fixture_files_names_and_shapes()
    {
        var config = LlavaConfig.Load(Path.Combine(TestData.FixtureModel, "config.json"));
        using var file = SafeTensorsFile.Open(Path.Combine(TestData.FixtureModel, "model.safetensors"));
        var inFile = file.Tensors.Select(t => $"{t.Name} {t.ShapeText}").Order(StringComparer.Ordinal);
        var expected = LlavaTensorSchema.Expected(config).Select(t => $"{t.Name} {t.ShapeText}").Order(StringComparer.Ordinal);
        Assert.Equal(inFile, expected);
    }

    [Fact]
    public void Llava_1_5_7b_holds_7_063_427_072_parameters()
    {
        // By hand — CLIP ViT-L/14-336: class 1024 + patch 1024·3·14·14 + positions 577·1024 + pre/post norms 2·2048
        //   + 24 layers × (4·(1024²+1024) + 2·2048 + (4096·1024+4096) + (1024·4096+1024)) = 303,507,456;
        // projector (4096·1024+4096) + (4096²+4096) = 20,979,712;
        // Vicuna-7B: 2 · 32064·4096 + 32 × (4·4096² + 3·4096·11008 + 2·4096) + 4096 = 6,738,939,904.
        var config = LlavaConfig.Parse(
            """{"model_type":"llava","text_config":{"vocab_size":32064},"vision_config":{"hidden_size":1024,"image_size":336,"intermediate_size":4096,"num_attention_heads":16,"num_hidden_layers":24,"patch_size":14}}""",
            "7b.json");
        var schema = LlavaTensorSchema.Expected(config);
        Assert.Equal(7_063_427_072L, schema.Sum(t => t.Shape.Aggregate(1L, (a, b) => a * b)));
        Assert.Equal([577L, 1024L], schema.Single(t => t.Name == "vision_tower.vision_model.embeddings.position_embedding.weight").Shape);
        Assert.Equal([4096L, 1024L], schema.Single(t => t.Name == "multi_modal_projector.linear_1.weight").Shape);
        Assert.Equal([32064L, 4096L], schema[^1].Shape);
    }

    [Fact]
    public void Grouped_query_attention_narrows_the_key_and_value_projections()
    {
        var config = new LlavaConfig { Text = new TextConfig { HiddenSize = 64, NumAttentionHeads = 8, NumKeyValueHeads = 2, NumHiddenLayers = 1, VocabSize = 10 } };
        var schema = LlavaTensorSchema.Expected(config).ToDictionary(t => t.Name, t => t.Shape);
        Assert.Equal([16L, 64L], schema["language_model.model.layers.0.self_attn.k_proj.weight"]);
        Assert.Equal([16L, 64L], schema["language_model.model.layers.0.self_attn.v_proj.weight"]);
        Assert.Equal([64L, 64L], schema["language_model.model.layers.0.self_attn.o_proj.weight"]);
    }

    [Fact]
    public void Tied_embeddings_need_no_lm_head()
    {
        var config = new LlavaConfig { Text = new TextConfig { TieWordEmbeddings = true } };
        Assert.DoesNotContain(LlavaTensorSchema.Expected(config), t => t.Name == "language_model.lm_head.weight");
    }
}
