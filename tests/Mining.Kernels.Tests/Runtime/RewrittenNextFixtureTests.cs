using Mining.Kernels.Checkpoints;
using Mining.Kernels.Experiments;
using Mining.Kernels.IO;
using Mining.Kernels.Model;
using Mining.Kernels.Tests.Checkpoints;
using Mining.Kernels.Tests.Experiments;

namespace Mining.Kernels.Tests.Runtime;

/// <summary>
/// The LLaVA-NeXT fixture re-saved as real NeXT checkpoints come (current key names with <c>model.image_newline</c>,
/// shards, bf16 / fp16, a config without its default-valued fields) loads through the same path and gives the
/// fixture's logits: bit for bit when only names, shards or config style change, within half precision's rounding otherwise.
/// </summary>
public sealed class RewrittenNextFixtureTests(ITestOutputHelper output)
{
    /// <summary>The bound the LLaVA-1.5 rewrite tests use: max |Δlogit| within 3 % of the largest fp32 |logit|.</summary>
    private const double HalfPrecisionBound = 0.03;

    private static readonly Lazy<float[][]> Original = new(() => Logits(TestData.NextFixtureModel));

    [Fact]
    public void Current_names_in_three_shards_without_default_config_fields_give_bitwise_identical_logits()
    {
        var dir = Rewrite(CheckpointLayout.Current, SafeTensorDType.F32, shards: 3, omitDefaultConfigFields: true);
        using (var weights = CheckpointWeights.Open(dir))
        {
            Assert.Equal(CheckpointLayout.Current, weights.Layout);
            Assert.Equal("model.image_newline", weights.Info(CheckpointNames.ImageNewline).Name);
        }

        Assert.Equal(ChelseaLogits.Bits(Original.Value), ChelseaLogits.Bits(Logits(dir)));
    }

    [Theory]
    [InlineData(SafeTensorDType.BF16, 2)]
    [InlineData(SafeTensorDType.F16, 1)]
    public void Half_precision_weights_load_and_stay_within_three_percent_of_the_largest_fp32_logit(SafeTensorDType dtype, int shards)
    {
        var dir = Rewrite(CheckpointLayout.Published, dtype, shards, omitDefaultConfigFields: false);
        var logits = Logits(dir);
        var fraction = ChelseaLogits.MaxAbsDifference(Original.Value, logits) / ChelseaLogits.MaxAbs(Original.Value);
        output.WriteLine($"{dtype}: max |logit diff| = {fraction:P3} of the largest fp32 |logit|");
        Assert.All(logits.SelectMany(row => row), x => Assert.True(float.IsFinite(x), $"{dtype} logit {x} is not finite"));
        Assert.True(fraction > 0, $"{dtype} logits equal the fp32 ones exactly: the rewrite did not change the weights' precision");
        Assert.True(fraction <= HalfPrecisionBound, $"{dtype} logits differ by {fraction:P3} of the largest fp32 logit, above {HalfPrecisionBound:P0}");
    }

    [Fact]
    public void A_checkpoint_without_image_newline_is_refused_naming_it()
    {
        var dir = Path.Combine(TestData.NewTempFolder(), "without-newline");
        CheckpointFolder.Prepare(dir);
        using (var weights = CheckpointWeights.Open(TestData.NextFixtureModel))
        {
            var kept = weights.Names.Where(name => name != CheckpointNames.ImageNewline)
                .Select(name => new PendingTensor(name, weights.Info(name).Shape, () => weights.ReadFloat32(name)))
                .ToList();
            CheckpointFolder.WriteWeights(dir, kept, CheckpointLayout.Published, SafeTensorDType.F32, 1);
        }

        foreach (var file in Directory.EnumerateFiles(TestData.NextFixtureModel).Where(file => !file.EndsWith(".safetensors", StringComparison.Ordinal)))
        {
            File.Copy(file, Path.Combine(dir, Path.GetFileName(file)));
        }

        var e = Assert.Throws<CheckpointException>(() => LlavaRuntime.Load(dir));
        Assert.Contains("missing: image_newline [64]", e.Message);
    }

    /// <summary>Chelsea's baseline and the four variants of each sampled token, with the fixture's pad id.</summary>
    private static float[][] Logits(string modelDirectory)
    {
        using var runtime = LlavaRuntime.Load(modelDirectory);
        return ChelseaLogits.Of(runtime, TestData.NextFixture, ExpectedExperiments.Next, padTokenId: 0);
    }

    private static string Rewrite(CheckpointLayout layout, SafeTensorDType dtype, int shards, bool omitDefaultConfigFields)
    {
        var dir = Path.Combine(TestData.NewTempFolder(), "rewritten-next");
        CheckpointRewriter.Rewrite(TestData.NextFixtureModel, dir, layout, dtype, shards, omitDefaultConfigFields);
        return dir;
    }
}
