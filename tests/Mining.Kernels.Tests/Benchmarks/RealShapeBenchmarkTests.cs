using Mining.Benchmarks;
using Mining.Kernels.Checkpoints;
using Mining.Kernels.Model;
using TorchSharp;
using static TorchSharp.torch;

namespace Mining.Kernels.Tests.Benchmarks;

public sealed class RealShapeBenchmarkTests
{
    /// <summary>A shape of a few dozen widths, so the whole benchmark runs in seconds.</summary>
    private static readonly ModelShape Small = ModelShape.NextLlama3_8B with
    {
        Name = "small",
        VisionHidden = 32,
        VisionIntermediate = 64,
        VisionHeads = 4,
        ImageSize = 56,
        TextHidden = 64,
        TextIntermediate = 96,
        TextHeads = 8,
        TextKvHeads = 2,
        Vocab = 500,
    };

    [Fact]
    public void The_llava_and_next_shapes_count_the_parameters_of_the_released_models()
    {
        // CLIP ViT-L/14-336: patch conv, 577 positions, class, pre/post norms, 24 layers of attention (4 d² + 4 d),
        // two norms (4 d) and the MLP (2 d i + i + d); the projector 1024 → 4096 → 4096 with biases.
        const long d = 1024, vi = 4096;
        const long clip = (d * 3 * 14 * 14) + (577 * d) + d + (2 * d) + (24 * ((4 * ((d * d) + d)) + (4 * d) + (2 * d * vi) + vi + d)) + (2 * d);
        const long projector = (d * 4096) + 4096 + (4096 * 4096) + 4096;

        // LLaMA: embeddings and head, per layer q, k, v, o, three MLP matrices and two norms, the final norm.
        static long Llama(long h, long i, long kvWidth, long vocab, long layers) =>
            (2 * vocab * h) + (layers * ((2 * h * h) + (2 * h * kvWidth) + (3 * h * i) + (2 * h))) + h;

        Assert.Equal(7_062_902_784, clip + projector + Llama(4096, 11008, 4096, 32000, 32));
        Assert.Equal(clip + projector + Llama(4096, 11008, 4096, 32000, 32), ModelShape.Llava15_7B.Parameters());
        Assert.Equal(clip + projector + 4096 + Llama(4096, 14336, 1024, 128256, 32), ModelShape.NextLlama3_8B.Parameters());
    }

    [Fact]
    public void The_onevision_shape_counts_siglip_so400m_without_its_last_layer_and_qwen2_7b()
    {
        // SigLIP so400m at 384 px: patch conv with bias, 27² = 729 positions, no class or pre-norm, 26 layers, post norm.
        const long d = 1152, vi = 4304, h = 3584, kv = 512, i = 18944, vocab = 152064;
        const long siglip = (d * 3 * 14 * 14) + d + (729 * d) + (26 * ((4 * ((d * d) + d)) + (4 * d) + (2 * d * vi) + vi + d)) + (2 * d);
        const long projector = (d * h) + h + (h * h) + h;

        // Qwen2-7B: untied embeddings and head; per layer q, k, v (with biases), o, three MLP matrices and two norms; final norm.
        const long qwen2 = (2 * vocab * h) + (28 * ((2 * h * h) + (2 * h * kv) + h + (2 * kv) + (3 * h * i) + (2 * h))) + h;

        Assert.Equal(siglip + projector + h + qwen2, ModelShape.OnevisionQwen2_7B.Parameters());
        Assert.InRange(ModelShape.OnevisionQwen2_7B.Parameters(), 8.0e9, 8.1e9); // "8.03B" on the llava-hf model card
        Assert.Equal(729, ModelShape.OnevisionQwen2_7B.VisualTokens);
    }

    [Fact]
    public void A_shape_with_few_layers_keeps_every_width_and_cuts_only_the_depth()
    {
        var full = ModelShape.NextLlama3_8B.ToConfig();
        var cut = ModelShape.NextLlama3_8B.ToConfig(layers: 2);

        Assert.Equal(2, cut.Vision.NumHiddenLayers);
        Assert.Equal(2, cut.Text.NumHiddenLayers);
        Assert.Equal(full with { Vision = full.Vision with { NumHiddenLayers = 2 }, Text = full.Text with { NumHiddenLayers = 2 } }, cut);
        Assert.Equal((4096, 14336, 8, 128256, 5e5), (cut.Text.HiddenSize, cut.Text.IntermediateSize, cut.Text.NumKeyValueHeads, cut.Text.VocabSize, cut.Text.RopeTheta));
        Assert.Equal(576, cut.Vision.NumPatches);
    }

    [Theory]
    [InlineData(ScalarType.Float32)]
    [InlineData(ScalarType.BFloat16)]
    public void The_previous_loading_path_and_the_loader_give_identical_parameters(ScalarType dtype)
    {
        var directory = RealShapeBenchmark.EnsureCheckpoint(Small, layers: 2, TestData.NewTempFolder(), _ => { });
        var config = Small.ToConfig(layers: 2);
        using var reference = ReferenceLoad.Load(directory, config, torch.CPU, dtype);
        using var loaded = LlavaModelLoader.Load(directory, config, torch.CPU, dtype);

        var expected = reference.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        var actual = loaded.named_parameters().ToList();
        Assert.Equal(expected.Count, actual.Count);
        using var scope = torch.NewDisposeScope();
        foreach (var (name, parameter) in actual)
        {
            Assert.Equal(dtype, parameter.dtype);
            Assert.Equal(expected[name].shape, parameter.shape);
            Assert.True(parameter.eq(expected[name]).all().item<bool>(), $"{name} differs between the two loading paths");
        }
    }

    [Fact]
    public void The_benchmark_loads_both_ways_and_runs_the_prompt_shaped_sequence()
    {
        var work = TestData.NewTempFolder();

        var m = RealShapeBenchmark.Measure(Small, layers: 1, work, torch.CPU, ScalarType.BFloat16, _ => { });

        // The checkpoint also stores NeXT's image_newline, which mining never loads.
        Assert.Equal(Small.Parameters(layers: 1) - Small.TextHidden, m.Parameters);
        Assert.Equal(2 * m.Parameters, m.ParameterBytes);
        Assert.Equal(Small.Parameters(), m.FullParameters);
        Assert.Equal(16, m.VisualTokens);
        Assert.Equal(RealShapeBenchmark.PrefixTokens + 16 + RealShapeBenchmark.SuffixTokens, m.SequenceTokens);
        Assert.NotNull(m.ReferenceLoad);
        Assert.Null(m.ReferenceLoadError);
        Assert.True(m.Load.PeakResident >= m.Load.ResidentBefore && m.Load.PeakResident >= m.Load.ResidentAfter);
        Assert.True(m.VisionSeconds > 0 && m.LanguageSeconds > 0);
        Assert.True(File.Exists(Path.Combine(work, "small-1-layers-model", CheckpointWeights.IndexFileName)));
    }
}
