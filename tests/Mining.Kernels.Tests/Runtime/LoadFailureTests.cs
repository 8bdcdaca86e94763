using System.Buffers.Binary;
using System.Text;
using System.Text.Json.Nodes;
using Mining.Kernels.Checkpoints;
using Mining.Kernels.Tests.Checkpoints;
using Mining.Kernels.Model;
using Mining.Kernels.Text;

namespace Mining.Kernels.Tests.Runtime;

/// <summary>A damaged copy of the fixture checkpoint fails in <see cref="LlavaRuntime.Load"/> with an exception that names the file and what is wrong with it.</summary>
public sealed class LoadFailureTests
{
    [Fact]
    public void A_missing_directory_is_named()
    {
        var dir = Path.Combine(TestData.NewTempFolder(), "no-such-model");

        var e = Assert.Throws<CheckpointException>(() => LlavaRuntime.Load(dir));

        Assert.Contains(dir, e.Message);
        Assert.Contains("does not exist", e.Message);
    }

    [Theory]
    [InlineData("config.json")]
    [InlineData("tokenizer.model")]
    public void A_missing_required_file_is_named(string file)
    {
        var dir = CopyOfFixture();
        File.Delete(Path.Combine(dir, file));

        var e = Assert.Throws<CheckpointException>(() => LlavaRuntime.Load(dir));

        Assert.Contains(Path.Combine(dir, file), e.Message);
        Assert.Contains("missing", e.Message);
    }

    [Fact]
    public void Missing_weights_are_reported_with_both_accepted_file_names()
    {
        var dir = CopyOfFixture();
        File.Delete(Path.Combine(dir, CheckpointFiles.SingleWeightsFile));

        var e = Assert.Throws<CheckpointException>(() => LlavaRuntime.Load(dir));

        Assert.Contains(dir, e.Message);
        Assert.Contains("missing weights", e.Message);
        Assert.Contains(CheckpointFiles.SingleWeightsFile, e.Message);
        Assert.Contains(CheckpointFiles.WeightsIndexFile, e.Message);
    }

    [Fact]
    public void Tensors_of_the_wrong_shape_for_the_config_name_the_file_and_the_tensor()
    {
        var dir = CopyOfFixture();
        EditConfig(dir, config => config["text_config"]!["intermediate_size"] = 160); // the weights hold 176

        var e = Assert.Throws<CheckpointException>(() => LlavaRuntime.Load(dir));

        Assert.Contains(Path.Combine(dir, CheckpointFiles.SingleWeightsFile), e.Message);
        Assert.Contains("language_model.model.layers.0.mlp.gate_proj.weight: expected [160, 64], found [176, 64]", e.Message);
    }

    [Fact]
    public void A_shard_named_in_the_index_but_absent_is_named()
    {
        var dir = Path.Combine(TestData.NewTempFolder(), "sharded");
        CheckpointRewriter.Rewrite(TestData.FixtureModel, dir, CheckpointLayout.Published, SafeTensorDType.F32, 2, omitDefaultConfigFields: false);
        var shard = Path.Combine(dir, "model-00002-of-00002.safetensors");
        File.Delete(shard);

        var e = Assert.Throws<CheckpointException>(() => LlavaRuntime.Load(dir));

        Assert.Contains(shard, e.Message);
        Assert.Contains("shard not found", e.Message);
        Assert.Contains(CheckpointFiles.WeightsIndexFile, e.Message);
    }

    [Fact]
    public void A_tokenizer_model_of_random_bytes_is_not_taken_for_sentencepiece()
    {
        var dir = CopyOfFixture();
        var path = Path.Combine(dir, "tokenizer.model");
        var bytes = new byte[(int)new FileInfo(path).Length];
        new Random(20250101).NextBytes(bytes);
        File.WriteAllBytes(path, bytes);

        var e = Assert.Throws<TokenizerException>(() => LlavaRuntime.Load(dir));

        Assert.Contains(path, e.Message);
        Assert.Contains("not a SentencePiece model", e.Message);
    }

    [Theory]
    [InlineData("qwen2_vl")]
    [InlineData("bert")]
    public void An_unsupported_model_type_is_named(string modelType)
    {
        var dir = CopyOfFixture();
        EditConfig(dir, config => config["model_type"] = modelType);

        var e = Assert.Throws<CheckpointException>(() => LlavaRuntime.Load(dir));

        Assert.Contains(Path.Combine(dir, "config.json"), e.Message);
        Assert.Contains("model_type", e.Message);
        Assert.Contains($"'{modelType}'", e.Message);
    }

    [Fact]
    public void A_llava_next_config_beside_only_a_sentencepiece_tokenizer_names_the_missing_tokenizer_json()
    {
        var dir = CopyOfFixture();
        EditConfig(dir, config => config["model_type"] = "llava_next");

        var e = Assert.Throws<TokenizerException>(() => LlavaRuntime.Load(dir));

        Assert.Contains(Path.Combine(dir, "tokenizer.json"), e.Message);
        Assert.Contains("missing", e.Message);
    }

    [Fact]
    public void A_safetensors_header_length_beyond_the_file_is_reported()
    {
        var dir = CopyOfFixture();
        var path = Path.Combine(dir, CheckpointFiles.SingleWeightsFile);
        using (var stream = new FileStream(path, FileMode.Open, FileAccess.Write))
        {
            Span<byte> length = stackalloc byte[8];
            BinaryPrimitives.WriteUInt64LittleEndian(length, 1UL << 40);
            stream.Write(length);
        }

        var e = Assert.Throws<CheckpointException>(() => LlavaRuntime.Load(dir));

        Assert.Contains(path, e.Message);
        Assert.Contains("header length (the file's first 8 bytes) runs past the end of the file", e.Message);
        Assert.DoesNotContain((1UL << 40).ToString(System.Globalization.CultureInfo.InvariantCulture), e.Message);
    }

    [Fact]
    public void A_safetensors_header_that_is_not_json_is_reported()
    {
        var dir = CopyOfFixture();
        var path = Path.Combine(dir, CheckpointFiles.SingleWeightsFile);
        var bytes = File.ReadAllBytes(path);
        var headerLength = (int)BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        var garbage = Encoding.ASCII.GetBytes("{\"not json" + new string('#', headerLength));
        garbage.AsSpan(0, headerLength).CopyTo(bytes.AsSpan(8));
        File.WriteAllBytes(path, bytes);

        var e = Assert.Throws<CheckpointException>(() => LlavaRuntime.Load(dir));

        Assert.Contains(path, e.Message);
        Assert.Contains("header is not valid JSON", e.Message);
    }

    private static string CopyOfFixture()
    {
        var dir = Path.Combine(TestData.NewTempFolder(), "model");
        Directory.CreateDirectory(dir);
        foreach (var file in Directory.EnumerateFiles(TestData.FixtureModel))
        {
            File.Copy(file, Path.Combine(dir, Path.GetFileName(file)));
        }

        return dir;
    }

    private static void EditConfig(string dir, Action<JsonNode> edit)
    {
        var path = Path.Combine(dir, "config.json");
        var config = JsonNode.Parse(File.ReadAllText(path))!;
        edit(config);
        File.WriteAllText(path, config.ToJsonString());
    }
}
