using Mining.Kernels.Checkpoints;
using Mining.Kernels.Model;
using TorchSharp;
using static TorchSharp.torch;

namespace Mining.Kernels.Tests.Model;

/// <summary>The loader makes each parameter in the compute dtype and fills it from the files, whatever dtype they store.</summary>
public sealed class LlavaModelLoaderTests
{
    private const string EmbedName = "language_model.model.embed_tokens.weight";
    private const string HeadName = "language_model.lm_head.weight";

    [Fact]
    public void A_bf16_load_gives_every_parameter_bf16_holding_the_stored_values()
    {
        var directory = Create(new TinyCheckpointSpec { Seed = 3, DType = SafeTensorDType.BF16, Shards = 3 });
        using var model = LlavaModelLoader.Load(directory, Config(directory), torch.CPU, ScalarType.BFloat16);
        using var weights = CheckpointWeights.Open(directory);

        var parameters = model.named_parameters().ToList();
        Assert.Equal(weights.Names.Order(StringComparer.Ordinal), parameters.Select(p => p.name).Order(StringComparer.Ordinal));
        foreach (var (name, parameter) in parameters)
        {
            Assert.Equal(ScalarType.BFloat16, parameter.dtype);
            Assert.False(parameter.requires_grad, $"{name} requires grad");
            using var widened = parameter.to(ScalarType.Float32);
            Assert.Equal(weights.ReadFloat32(name), widened.data<float>().ToArray());
        }
    }

    [Fact]
    public void A_float32_checkpoint_loaded_in_bf16_holds_each_value_rounded_to_nearest_even()
    {
        var directory = Create(new TinyCheckpointSpec { Seed = 4 });
        using var model = LlavaModelLoader.Load(directory, Config(directory), torch.CPU, ScalarType.BFloat16);
        using var weights = CheckpointWeights.Open(directory);

        foreach (var (name, parameter) in model.named_parameters())
        {
            using var widened = parameter.to(ScalarType.Float32);
            var expected = weights.ReadFloat32(name).Select(HalfPrecision.ToBFloat16Bits);
            var actual = widened.data<float>().ToArray().Select(v => (ushort)(BitConverter.SingleToUInt32Bits(v) >> 16));
            Assert.Equal(expected, actual);
        }
    }

    [Fact]
    public void A_bf16_model_gives_the_logits_of_a_float32_model_within_bf16_rounding()
    {
        // The same bf16-stored weights, once widened to float32 and once kept in bf16; the bf16 model also rounds every
        // activation to 8 significant bits, so the logits agree to within 2 % of their range (about 0.6 % here), not bit for bit.
        var directory = Create(new TinyCheckpointSpec { Seed = 5, DType = SafeTensorDType.BF16 });
        var config = Config(directory);
        var exact = Logits(directory, config, ScalarType.Float32);
        var rounded = Logits(directory, config, ScalarType.BFloat16);

        var range = exact.Max() - exact.Min();
        var worst = exact.Zip(rounded, (a, b) => Math.Abs(a - b)).Max();
        Assert.True(range > 1f, $"the logits span only {range}: the comparison would prove nothing");
        Assert.True(worst <= 0.02f * range, $"bf16 logits differ from float32 ones by up to {worst}, over 2 % of their range {range}");
        Assert.Equal(Array.IndexOf(exact, exact.Max()), Array.IndexOf(rounded, rounded.Max()));
    }

    [Fact]
    public void A_tied_head_is_filled_from_embed_tokens()
    {
        var spec = new TinyCheckpointSpec { Seed = 9 };
        var tied = spec.ToConfig() with { Text = spec.ToConfig().Text with { TieWordEmbeddings = true } };
        var directory = TestData.NewTempFolder();
        CheckpointFolder.Prepare(directory);
        tied.Save(Path.Combine(directory, "config.json"));
        var random = new Random(9);
        var tensors = LlavaTensorSchema.Expected(tied)
            .Select(e => new PendingTensor(e.Name, e.Shape, () => SeededWeights.Values(random, (int)e.Shape.Aggregate(1L, (a, b) => a * b))))
            .ToList();
        CheckpointFolder.WriteWeights(directory, tensors, CheckpointLayout.Published, SafeTensorDType.BF16, shards: 2);
        using var weights = CheckpointWeights.Open(directory);
        Assert.False(weights.Contains(HeadName));

        using var model = LlavaModelLoader.Load(directory, Config(directory), torch.CPU, ScalarType.BFloat16);

        var parameters = model.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        var embed = weights.ReadFloat32(EmbedName);
        using var head = parameters[HeadName].to(ScalarType.Float32);
        Assert.Equal(embed, head.data<float>().ToArray());
    }

    /// <summary>An image of random pixels through the vision tower and projector, then six token embeddings after it, to the last position's logits (float32).</summary>
    private static float[] Logits(string directory, LlavaConfig config, ScalarType dtype)
    {
        using var model = LlavaModelLoader.Load(directory, config, torch.CPU, dtype);
        using var noGrad = torch.no_grad();
        using var scope = torch.NewDisposeScope();
        var size = config.Vision.ImageSize;
        var pixels = torch.tensor(SeededWeights.Values(new Random(1), 3 * size * size), [1, 3, size, size]).to(dtype);
        var visual = model.Projector.forward(model.VisionTower.forward(pixels).Patches[0]);
        var text = model.LanguageModel.Embed(torch.tensor(new long[] { 1, 17, 42, 300, 5, 9 }));
        var sequence = torch.cat([visual, text], dim: 0).unsqueeze(0);
        var logits = model.LanguageModel.LastPositionLogits(sequence, [(int)sequence.shape[1]]);
        return logits.to(ScalarType.Float32).data<float>().ToArray();
    }

    private static LlavaConfig Config(string directory) => LlavaConfig.Load(Path.Combine(directory, "config.json"));

    private static string Create(TinyCheckpointSpec spec)
    {
        var directory = Path.Combine(TestData.NewTempFolder(), "tiny");
        TinyCheckpointWeights.Write(spec, directory);
        return directory;
    }
}
