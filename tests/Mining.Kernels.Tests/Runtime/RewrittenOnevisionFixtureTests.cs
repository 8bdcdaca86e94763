using Mining.Kernels.Checkpoints;
using Mining.Kernels.Experiments;
using Mining.Kernels.IO;
using Mining.Kernels.Model;
using Mining.Kernels.Tests.Checkpoints;
using Mining.Kernels.Tests.Experiments;

namespace Mining.Kernels.Tests.Runtime;

/// <summary>
/// The LLaVA-OneVision fixture re-saved as real OneVision checkpoints come (current key names, shards, bf16, a config
/// without its default-valued fields, tied embeddings without an <c>lm_head</c> tensor) loads through the same path and
/// gives the fixture's logits: bit for bit when only names, shards, config style or tying change, within bf16's rounding otherwise.
/// </summary>
public sealed class RewrittenOnevisionFixtureTests(ITestOutputHelper output)
{
    /// <summary>The bound the other rewrite tests use: max |Δlogit| within 3 % of the largest fp32 |logit|.</summary>
    private const double HalfPrecisionBound = 0.03;

    private const string EmbedTokens = "language_model.model.embed_tokens.weight";

    private const string LmHead = "language_model.lm_head.weight";

    private static readonly Lazy<float[][]> Original = new(() => Logits(TestData.OnevisionFixtureModel));

    [Fact]
    public void Current_names_in_three_shards_without_default_config_fields_give_bitwise_identical_logits()
    {
        var dir = Path.Combine(TestData.NewTempFolder(), "rewritten-ov");
        CheckpointRewriter.Rewrite(TestData.OnevisionFixtureModel, dir, CheckpointLayout.Current, SafeTensorDType.F32, shards: 3, omitDefaultConfigFields: true);
        using (var weights = CheckpointWeights.Open(dir))
        {
            Assert.Equal(CheckpointLayout.Current, weights.Layout);
            Assert.Equal("model.vision_tower.vision_model.embeddings.patch_embedding.bias", weights.Info("vision_tower.vision_model.embeddings.patch_embedding.bias").Name);
        }

        Assert.Equal(ChelseaLogits.Bits(Original.Value), ChelseaLogits.Bits(Logits(dir)));
    }

    [Fact]
    public void Bf16_shards_stay_within_three_percent_of_the_largest_fp32_logit()
    {
        var dir = Path.Combine(TestData.NewTempFolder(), "rewritten-ov-bf16");
        CheckpointRewriter.Rewrite(TestData.OnevisionFixtureModel, dir, CheckpointLayout.Current, SafeTensorDType.BF16, shards: 2, omitDefaultConfigFields: true);
        var fraction = ChelseaLogits.MaxAbsDifference(Original.Value, Logits(dir)) / ChelseaLogits.MaxAbs(Original.Value);
        output.WriteLine($"bf16: max |logit diff| = {fraction:P3} of the largest fp32 |logit|");
        Assert.True(fraction > 0, "bf16 logits equal the fp32 ones exactly: the rewrite did not change the weights' precision");
        Assert.True(fraction <= HalfPrecisionBound, $"bf16 logits differ by {fraction:P3} of the largest fp32 logit, above {HalfPrecisionBound:P0}");
    }

    [Fact]
    public void Tied_embeddings_without_an_lm_head_tensor_read_the_head_from_embed_tokens()
    {
        var untied = WriteWithHeadFromEmbeddings(tied: false, CheckpointLayout.Published, SafeTensorDType.F32, shards: 1);
        var tied = WriteWithHeadFromEmbeddings(tied: true, CheckpointLayout.Current, SafeTensorDType.F32, shards: 2);
        using (var weights = CheckpointWeights.Open(tied))
        {
            Assert.False(weights.Contains(LmHead));
        }

        Assert.True(LlavaConfig.Load(Path.Combine(tied, "config.json")).Text.TieWordEmbeddings);
        Assert.Equal(ChelseaLogits.Bits(Logits(untied)), ChelseaLogits.Bits(Logits(tied)));
    }

    [Fact]
    public void A_tied_bf16_sharded_checkpoint_stays_within_bf16_rounding_of_its_fp32_single_file_twin_and_mines()
    {
        var fp32 = WriteWithHeadFromEmbeddings(tied: true, CheckpointLayout.Published, SafeTensorDType.F32, shards: 1);
        var bf16 = WriteWithHeadFromEmbeddings(tied: true, CheckpointLayout.Current, SafeTensorDType.BF16, shards: 3);
        var reference = Logits(fp32);
        var fraction = ChelseaLogits.MaxAbsDifference(reference, Logits(bf16)) / ChelseaLogits.MaxAbs(reference);
        output.WriteLine($"tied bf16 in 3 shards: max |logit diff| = {fraction:P3} of the largest fp32 |logit|");
        Assert.True(fraction > 0 && fraction <= HalfPrecisionBound, $"tied bf16 logits differ by {fraction:P3} of the largest fp32 logit");

        using var runtime = LlavaRuntime.Load(bf16);
        using var image = runtime.Encode(NpyFile.Read(Path.Combine(TestData.OnevisionFixture, "arrays", "chelsea.pixel_values.npy")).ToFloat32());
        var parameters = new MiningParameters { PadTokenId = 616, SkipLeadingTokens = [] };
        var result = ImageExperiment.Run(new RuntimeVariantScorer(runtime, image, parameters.PadTokenId), image.Grid, image.Ranking, [0, 7, 35], parameters);
        Assert.Equal([1, 8, 36], result.Tokens.Select(t => t.Rank));
        Assert.All(result.Tokens, t => Assert.True(double.IsFinite(t.JsdRegion) && double.IsFinite(t.JsdGlobal) && t.Top1Prob is > 0 and <= 1));
    }

    /// <summary>The fixture with <c>lm_head</c> replaced by <c>embed_tokens</c>: stored as its own tensor, or tied (config flag, no tensor).</summary>
    private static string WriteWithHeadFromEmbeddings(bool tied, CheckpointLayout layout, SafeTensorDType dtype, int shards)
    {
        var dir = Path.Combine(TestData.NewTempFolder(), tied ? "tied" : "untied");
        CheckpointFolder.Prepare(dir);
        var config = LlavaConfig.Load(Path.Combine(TestData.OnevisionFixtureModel, "config.json"));
        config = config with { Text = config.Text with { TieWordEmbeddings = tied }, TorchDtype = CheckpointFolder.TorchDtypeName(dtype) };
        config.Save(Path.Combine(dir, "config.json"));
        using (var weights = CheckpointWeights.Open(TestData.OnevisionFixtureModel))
        {
            var tensors = weights.Names
                .Where(name => !(tied && name == LmHead))
                .Select(name => new PendingTensor(name, weights.Info(name).Shape, () => weights.ReadFloat32(name == LmHead ? EmbedTokens : name)))
                .ToList();
            CheckpointFolder.WriteWeights(dir, tensors, layout, dtype, shards);
        }

        foreach (var file in Directory.EnumerateFiles(TestData.OnevisionFixtureModel).Where(file => !file.EndsWith(".safetensors", StringComparison.Ordinal) && Path.GetFileName(file) != "config.json"))
        {
            File.Copy(file, Path.Combine(dir, Path.GetFileName(file)));
        }

        return dir;
    }

    /// <summary>Chelsea's baseline and the four variants of each sampled token, with the fixture's pad id.</summary>
    private static float[][] Logits(string modelDirectory)
    {
        using var runtime = LlavaRuntime.Load(modelDirectory);
        return ChelseaLogits.Of(runtime, TestData.OnevisionFixture, ExpectedExperiments.Onevision, padTokenId: 616);
    }
}
