using System.Text.Json.Nodes;
using Mining.Kernels.Checkpoints;

namespace Mining.Kernels.Tests.Checkpoints;

public sealed class CheckpointRewriterTests
{
    [Fact]
    public void The_fixture_rewritten_as_two_current_bf16_shards_reads_back_within_bf16_rounding()
    {
        var dest = Path.Combine(TestData.NewTempFolder(), "bf16");
        CheckpointRewriter.Rewrite(TestData.FixtureModel, dest, CheckpointLayout.Current, SafeTensorDType.BF16, 2, omitDefaultConfigFields: true);

        Assert.True(File.Exists(Path.Combine(dest, "model-00001-of-00002.safetensors")));
        Assert.True(File.Exists(Path.Combine(dest, "model-00002-of-00002.safetensors")));
        using var original = CheckpointWeights.Open(TestData.FixtureModel);
        using var rewritten = CheckpointWeights.Open(dest);
        Assert.Equal(CheckpointLayout.Current, rewritten.Layout);
        Assert.Equal(original.Names.Order(StringComparer.Ordinal), rewritten.Names.Order(StringComparer.Ordinal));
        Assert.All(rewritten.Names, n => Assert.Equal(SafeTensorDType.BF16, rewritten.Info(n).DType));
        Assert.Equal("bfloat16", LlavaConfig.Load(Path.Combine(dest, "config.json")).TorchDtype);

        foreach (var name in original.Names)
        {
            var before = original.ReadFloat32(name);
            var after = rewritten.ReadFloat32(name);
            for (var i = 0; i < before.Length; i++)
            {
                Assert.Equal(NearestBFloat16(before[i]), after[i]);
            }
        }
    }

    [Fact]
    public void A_layout_only_rewrite_reads_back_bit_identical()
    {
        var dest = Path.Combine(TestData.NewTempFolder(), "current");
        CheckpointRewriter.Rewrite(TestData.FixtureModel, dest, CheckpointLayout.Current, SafeTensorDType.F32, 1, omitDefaultConfigFields: false);
        using var original = CheckpointWeights.Open(TestData.FixtureModel);
        using var rewritten = CheckpointWeights.Open(dest);
        Assert.Equal(CheckpointLayout.Current, rewritten.Layout);
        Assert.Equal("lm_head.weight", rewritten.Info("language_model.lm_head.weight").Name);
        foreach (var name in original.Names)
        {
            var before = original.ReadFloat32(name).Select(BitConverter.SingleToUInt32Bits);
            var after = rewritten.ReadFloat32(name).Select(BitConverter.SingleToUInt32Bits);
            Assert.Equal(before, after);
        }
    }

    [Fact]
    public void The_rewritten_config_loads_equal_to_the_original_apart_from_dtype()
    {
        var dest = Path.Combine(TestData.NewTempFolder(), "f16");
        CheckpointRewriter.Rewrite(TestData.FixtureModel, dest, CheckpointLayout.Published, SafeTensorDType.F16, 1, omitDefaultConfigFields: true);
        var original = LlavaConfig.Load(Path.Combine(TestData.FixtureModel, "config.json"));
        var rewritten = LlavaConfig.Load(Path.Combine(dest, "config.json"));
        Assert.Equal(original with { TorchDtype = "float16" }, rewritten);
        Assert.Null(JsonNode.Parse(File.ReadAllText(Path.Combine(dest, "config.json")))!["text_config"]!["hidden_act"]);
    }

    [Fact]
    public void Tokenizer_and_preprocessor_files_are_copied_unchanged()
    {
        var dest = Path.Combine(TestData.NewTempFolder(), "copy");
        CheckpointRewriter.Rewrite(TestData.FixtureModel, dest, CheckpointLayout.Published, SafeTensorDType.F32, 1, omitDefaultConfigFields: false);
        foreach (var file in new[] { "tokenizer.model", "tokenizer_config.json", "preprocessor_config.json" })
        {
            Assert.Equal(File.ReadAllBytes(Path.Combine(TestData.FixtureModel, file)), File.ReadAllBytes(Path.Combine(dest, file)));
        }
    }

    [Fact]
    public void Rewriting_onto_the_source_is_refused()
    {
        var e = Assert.Throws<CheckpointException>(() =>
            CheckpointRewriter.Rewrite(TestData.FixtureModel, TestData.FixtureModel + "/", CheckpointLayout.Current, SafeTensorDType.F32, 1, false));
        Assert.Contains("onto itself", e.Message);
    }

    /// <summary>The bfloat16 nearest to <paramref name="x"/>, ties to the even pattern: a plain search over the two neighbours.</summary>
    private static float NearestBFloat16(float x)
    {
        var bits = BitConverter.SingleToUInt32Bits(x);
        var down = BitConverter.UInt32BitsToSingle(bits & 0xFFFF0000u);
        var up = BitConverter.UInt32BitsToSingle((bits & 0xFFFF0000u) + 0x10000u);
        var toDown = Math.Abs((double)x - down);
        var toUp = Math.Abs((double)up - x);
        if (toDown != toUp)
        {
            return toDown < toUp ? down : up;
        }

        return ((bits >> 16) & 1) == 0 ? down : up;
    }
}
