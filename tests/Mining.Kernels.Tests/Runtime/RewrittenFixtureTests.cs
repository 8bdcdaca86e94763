using System.Text.Json.Nodes;
using Mining.Kernels.Checkpoints;
using Mining.Kernels.Tests.Checkpoints;

namespace Mining.Kernels.Tests.Runtime;

/// <summary>
/// The fixture re-saved by <see cref="CheckpointRewriter"/> and loaded by the runtime: a change of names, config
/// style or shard count leaves every weight bit as it was, so the logits must be bitwise identical; a narrower
/// dtype rounds the weights, so the logits may move, but only by about the dtype's relative precision.
/// </summary>
public sealed class RewrittenFixtureTests(OriginalFixtureLogits original, ITestOutputHelper output) : IClassFixture<OriginalFixtureLogits>
{
    /// <summary>The bound for half-precision weights: max |Δlogit| within 3 % of the largest fp32 |logit|.</summary>
    private const double HalfPrecisionBound = 0.03;

    [Fact]
    public void A_current_layout_rewrite_gives_bitwise_identical_logits()
    {
        var dir = Rewrite(CheckpointLayout.Current, SafeTensorDType.F32, shards: 1, omitDefaultConfigFields: false);
        using (var weights = CheckpointWeights.Open(dir))
        {
            Assert.Equal(CheckpointLayout.Current, weights.Layout);
        }

        Assert.Equal(ChelseaLogits.Bits(original.Logits), ChelseaLogits.Bits(ChelseaLogits.OfCheckpoint(dir)));
    }

    [Fact]
    public void A_config_without_its_default_valued_fields_gives_bitwise_identical_logits()
    {
        var dir = Rewrite(CheckpointLayout.Published, SafeTensorDType.F32, shards: 1, omitDefaultConfigFields: true);
        var config = JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "config.json")))!;
        Assert.Null(config["text_config"]!["hidden_act"]);

        Assert.Equal(ChelseaLogits.Bits(original.Logits), ChelseaLogits.Bits(ChelseaLogits.OfCheckpoint(dir)));
    }

    [Fact]
    public void Three_f32_shards_give_the_same_logits_as_the_single_file_bit_for_bit()
    {
        var dir = Rewrite(CheckpointLayout.Published, SafeTensorDType.F32, shards: 3, omitDefaultConfigFields: false);
        Assert.True(File.Exists(Path.Combine(dir, "model-00003-of-00003.safetensors")));
        Assert.False(File.Exists(Path.Combine(dir, CheckpointFiles.SingleWeightsFile)));

        Assert.Equal(ChelseaLogits.Bits(original.Logits), ChelseaLogits.Bits(ChelseaLogits.OfCheckpoint(dir)));
    }

    [Fact]
    public void Two_bf16_shards_load_and_stay_within_three_percent_of_the_largest_fp32_logit()
    {
        var dir = Rewrite(CheckpointLayout.Published, SafeTensorDType.BF16, shards: 2, omitDefaultConfigFields: false);
        Assert.True(File.Exists(Path.Combine(dir, "model-00002-of-00002.safetensors")));
        AssertWithinHalfPrecisionBound("bf16", ChelseaLogits.OfCheckpoint(dir));
    }

    [Fact]
    public void A_single_f16_file_loads_and_stays_within_three_percent_of_the_largest_fp32_logit()
    {
        var dir = Rewrite(CheckpointLayout.Published, SafeTensorDType.F16, shards: 1, omitDefaultConfigFields: false);
        AssertWithinHalfPrecisionBound("f16", ChelseaLogits.OfCheckpoint(dir));
    }

    private void AssertWithinHalfPrecisionBound(string dtype, float[][] logits)
    {
        var fraction = ChelseaLogits.MaxAbsDifference(original.Logits, logits) / ChelseaLogits.MaxAbs(original.Logits);
        output.WriteLine($"{dtype}: max |logit diff| = {fraction:P3} of the largest fp32 |logit| ({ChelseaLogits.MaxAbs(original.Logits):F4})");
        Assert.All(logits.SelectMany(row => row), x => Assert.True(float.IsFinite(x), $"{dtype} logit {x} is not finite"));
        // Zero would mean the weights were never narrowed, and the bound would prove nothing.
        Assert.True(fraction > 0, $"{dtype} logits equal the fp32 ones exactly: the rewrite did not change the weights' precision");
        Assert.True(fraction <= HalfPrecisionBound, $"{dtype} logits differ by {fraction:P3} of the largest fp32 logit, above {HalfPrecisionBound:P0}");
    }

    private static string Rewrite(CheckpointLayout layout, SafeTensorDType dtype, int shards, bool omitDefaultConfigFields)
    {
        var dir = Path.Combine(TestData.NewTempFolder(), "rewritten");
        CheckpointRewriter.Rewrite(TestData.FixtureModel, dir, layout, dtype, shards, omitDefaultConfigFields);
        return dir;
    }
}
