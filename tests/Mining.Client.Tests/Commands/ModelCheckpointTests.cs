using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;

namespace Mining.Client.Tests.Commands;

/// <summary><c>mining model make-tiny</c> and <c>mining model info</c>; and that a sharded bf16 checkpoint runs.</summary>
public sealed class ModelCheckpointTests(ITestOutputHelper output)
{
    private static readonly ConcurrentDictionary<string, Lazy<string>> Checkpoints = new();

    /// <summary>Sizes different from make-tiny's defaults, so that info reporting them shows they were written.</summary>
    private static readonly string[] Sizes =
    [
        "--grid", "8", "--patch-size", "10", "--vision-hidden", "48", "--vision-layers", "3", "--vision-heads", "4",
        "--vision-intermediate", "96", "--text-hidden", "96", "--text-layers", "3", "--text-heads", "6",
        "--text-kv-heads", "2", "--text-intermediate", "160", "--vocab", "460",
    ];

    [Fact]
    public void Info_json_reports_the_sizes_make_tiny_was_given()
    {
        using var info = InfoJson(MakeTiny("sized", ["--seed", "3", .. Sizes]));
        var root = info.RootElement;
        Assert.Equal(8, root.GetProperty("grid").GetInt32());
        Assert.Equal(64, root.GetProperty("visual_tokens").GetInt32());
        Assert.Equal(10, root.GetProperty("patch_size").GetInt32());
        Assert.Equal(80, root.GetProperty("image_size").GetInt32());
        Assert.Equal(48, root.GetProperty("vision_hidden").GetInt32());
        Assert.Equal(3, root.GetProperty("vision_layers").GetInt32());
        Assert.Equal(4, root.GetProperty("vision_heads").GetInt32());
        Assert.Equal(96, root.GetProperty("text_hidden").GetInt32());
        Assert.Equal(3, root.GetProperty("text_layers").GetInt32());
        Assert.Equal(6, root.GetProperty("text_heads").GetInt32());
        Assert.Equal(2, root.GetProperty("text_kv_heads").GetInt32());
        Assert.Equal(160, root.GetProperty("text_intermediate").GetInt32());
        Assert.Equal(460, root.GetProperty("vocab").GetInt32());
    }

    [Fact]
    public void Info_json_of_a_default_tiny_checkpoint_has_grid_8()
    {
        using var info = InfoJson(MakeTiny("seed3", ["--seed", "3"]));
        Assert.Equal(8, info.RootElement.GetProperty("grid").GetInt32());
        Assert.Equal(64, info.RootElement.GetProperty("visual_tokens").GetInt32());
    }

    [Fact]
    public void Info_json_parameter_count_is_the_sum_of_the_tensor_shapes_in_the_safetensors_header()
    {
        var directory = MakeTiny("sized", ["--seed", "3", .. Sizes]);
        using var info = InfoJson(directory);
        var parameters = info.RootElement.GetProperty("parameters").GetInt64();
        Assert.True(parameters > 0);
        Assert.Equal(HeaderParameterCount(Path.Combine(directory, "model.safetensors")), parameters);
    }

    [Fact]
    public void Info_text_on_the_fixture_mentions_its_6x6_grid()
    {
        var run = CliProcess.Run("model", "info", TestData.FixtureModel);
        Assert.True(run.ExitCode == 0, run.Describe());
        Assert.Contains("6×6", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Make_tiny_with_the_same_seed_writes_byte_identical_weights()
    {
        var first = File.ReadAllBytes(Path.Combine(MakeTiny("seed3", ["--seed", "3"]), "model.safetensors"));
        var second = File.ReadAllBytes(Path.Combine(MakeTiny("seed3-again", ["--seed", "3"]), "model.safetensors"));
        Assert.Equal(first, second);
    }

    [Fact]
    public void Make_tiny_with_another_seed_writes_other_weights()
    {
        var seed3 = File.ReadAllBytes(Path.Combine(MakeTiny("seed3", ["--seed", "3"]), "model.safetensors"));
        var seed4 = File.ReadAllBytes(Path.Combine(MakeTiny("seed4", ["--seed", "4"]), "model.safetensors"));
        Assert.NotEqual(seed3, seed4);
    }

    [Fact]
    public void Make_tiny_with_two_shards_writes_an_index_and_the_two_shards_it_names()
    {
        var directory = MakeTiny("sharded", Sharded);
        using var index = JsonDocument.Parse(File.ReadAllText(Path.Combine(directory, "model.safetensors.index.json")));
        var shards = index.RootElement.GetProperty("weight_map").EnumerateObject().Select(p => p.Value.GetString()!).Distinct().Order().ToArray();
        Assert.Equal(["model-00001-of-00002.safetensors", "model-00002-of-00002.safetensors"], shards);
        Assert.All(shards, shard => Assert.True(File.Exists(Path.Combine(directory, shard)), $"{shard} is missing"));
        Assert.False(File.Exists(Path.Combine(directory, "model.safetensors")));
    }

    [Fact]
    public void Model_logits_runs_on_a_sharded_bf16_checkpoint_in_the_current_layout()
    {
        var directory = MakeTiny("sharded", Sharded);
        var run = CliProcess.Run("model", "logits", "--model", directory, "--image", TestData.FixtureImage("chelsea.png"), "--json");
        Assert.True(run.ExitCode == 0, run.Describe());
        using var document = JsonDocument.Parse(run.Stdout);
        Assert.Equal(8, document.RootElement.GetProperty("grid").GetInt32());
        var logits = document.RootElement.GetProperty("logits").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        Assert.Equal(448, logits.Length);
        Assert.All(logits, l => Assert.True(double.IsFinite(l)));
        Assert.True(logits.Max() > logits.Min(), "the logits are all equal");
    }

    [Fact]
    public void Make_tiny_family_next_writes_a_llava_next_checkpoint_of_the_documented_default_vocabulary_that_model_logits_runs()
    {
        var directory = MakeTiny("next", ["--family", "next"]);
        using var config = JsonDocument.Parse(File.ReadAllText(Path.Combine(directory, "config.json")));
        Assert.Equal("llava_next", config.RootElement.GetProperty("model_type").GetString());
        Assert.Equal("mining-tiny-next", config.RootElement.GetProperty("_name_or_path").GetString());
        Assert.True(File.Exists(Path.Combine(directory, "tokenizer.json")));

        var run = CliProcess.Run("model", "logits", "--model", directory, "--image", TestData.FixtureImage("chelsea.png"), "--json");

        Assert.True(run.ExitCode == 0, run.Describe());
        using var document = JsonDocument.Parse(run.Stdout);
        var logits = document.RootElement.GetProperty("logits").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        Assert.Equal(704, logits.Length); // make-tiny --help: "next 704"
        Assert.All(logits, l => Assert.True(double.IsFinite(l)));
    }

    [Fact]
    public void A_tiny_onevision_with_bf16_shards_current_names_and_tied_embeddings_matches_its_fp32_single_file_twin_within_bf16_rounding()
    {
        var fp32 = MakeTiny("onevision-fp32", ["--family", "onevision", "--tie-word-embeddings", "--seed", "5"]);
        var bf16 = MakeTiny("onevision-bf16", ["--family", "onevision", "--tie-word-embeddings", "--seed", "5", "--layout", "current", "--dtype", "bf16", "--shards", "3"]);
        using (var config = JsonDocument.Parse(File.ReadAllText(Path.Combine(bf16, "config.json"))))
        {
            Assert.Equal("llava_onevision", config.RootElement.GetProperty("model_type").GetString());
            Assert.True(config.RootElement.GetProperty("text_config").GetProperty("tie_word_embeddings").GetBoolean());
        }

        var index = File.ReadAllText(Path.Combine(bf16, "model.safetensors.index.json"));
        Assert.Contains("model.language_model.embed_tokens.weight", index, StringComparison.Ordinal);
        Assert.DoesNotContain("lm_head", index, StringComparison.Ordinal);

        var reference = Logits(fp32);
        var half = Logits(bf16);
        Assert.Equal(reference.Length, half.Length);
        var fraction = reference.Zip(half, (a, b) => Math.Abs(a - b)).Max() / reference.Max(Math.Abs);
        output.WriteLine($"bf16 / fp32 twin: max |logit diff| = {fraction:P3} of the largest |logit|");
        Assert.True(fraction is > 0 and <= 0.03, $"bf16 logits differ by {fraction:P3} of the largest fp32 logit");

        var mined = CliProcess.Run("experiment", "--model", bf16, "--image", TestData.FixtureImage("chelsea.png"), "--json");
        Assert.True(mined.ExitCode == 0, mined.Describe());
        using var experiment = JsonDocument.Parse(mined.Stdout);
        var tokens = experiment.RootElement.GetProperty("tokens").EnumerateArray().ToArray();
        Assert.NotEmpty(tokens);
        Assert.All(tokens, t => Assert.Equal(t.GetProperty("token_index").GetInt32() + 1, t.GetProperty("rank").GetInt32()));
        Assert.All(tokens, t => Assert.Equal(JsonValueKind.Null, t.GetProperty("cls_similarity").ValueKind));
    }

    private static double[] Logits(string directory)
    {
        var run = CliProcess.Run("model", "logits", "--model", directory, "--image", TestData.FixtureImage("chelsea.png"), "--json");
        Assert.True(run.ExitCode == 0, run.Describe());
        using var document = JsonDocument.Parse(run.Stdout);
        return [.. document.RootElement.GetProperty("logits").EnumerateArray().Select(e => e.GetDouble())];
    }

    private static readonly string[] Sharded = ["--seed", "3", "--layout", "current", "--dtype", "bf16", "--shards", "2"];

    /// <summary>Runs make-tiny once per <paramref name="key"/> into a fresh folder and returns the checkpoint directory.</summary>
    private static string MakeTiny(string key, string[] options) => Checkpoints.GetOrAdd(key, _ => new Lazy<string>(() =>
    {
        var directory = Path.Combine(TestData.NewTempFolder(), "model");
        var run = CliProcess.Run(["model", "make-tiny", "--out", directory, .. options]);
        Assert.True(run.ExitCode == 0, run.Describe());
        return directory;
    })).Value;

    private static JsonDocument InfoJson(string directory)
    {
        var run = CliProcess.Run("model", "info", directory, "--json");
        Assert.True(run.ExitCode == 0, run.Describe());
        return JsonDocument.Parse(run.Stdout);
    }

    // safetensors: an 8-byte little-endian header length, then a JSON object of name → {dtype, shape, data_offsets}.
    private static long HeaderParameterCount(string file)
    {
        var bytes = File.ReadAllBytes(file);
        var length = checked((int)BinaryPrimitives.ReadUInt64LittleEndian(bytes));
        using var header = JsonDocument.Parse(Encoding.UTF8.GetString(bytes, 8, length));
        return header.RootElement.EnumerateObject()
            .Where(p => p.Name != "__metadata__")
            .Sum(p => p.Value.GetProperty("shape").EnumerateArray().Aggregate(1L, (a, d) => a * d.GetInt64()));
    }
}
