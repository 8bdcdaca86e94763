using Mining.Kernels.Model;
using Mining.Kernels.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Mining.Kernels.Tests.Model;

public sealed class ModuleTests
{
    public ModuleTests() => TorchRuntime.EnsureLoaded();

    private static float[] Flat(Tensor t) => t.to(ScalarType.Float32).contiguous().data<float>().ToArray();

    [Fact]
    public void Rms_norm_matches_a_plain_loop()
    {
        using var norm = new LlamaRmsNorm(8, 1e-5);
        var weights = SeededWeights.Fill(norm, 1);
        var x = SeededWeights.Values(new Random(2), 2 * 3 * 8, 2f);
        using var input = torch.tensor(x, [2, 3, 8]);
        using var output = norm.forward(input);
        var actual = Flat(output);
        for (var row = 0; row < 6; row++)
        {
            var slice = x.Skip(row * 8).Take(8).Select(v => (double)v).ToArray();
            var rms = Math.Sqrt(slice.Select(v => v * v).Average() + 1e-5);
            for (var i = 0; i < 8; i++)
            {
                Assert.Equal(slice[i] / rms * weights["weight"][i], actual[(row * 8) + i], 5);
            }
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(150)]
    public void Rotary_embedding_rotates_pairs_by_position_times_inverse_frequency(int position)
    {
        const int headDim = 8;
        var rotary = new RotaryEmbedding(headDim, 10000);
        var x = SeededWeights.Values(new Random(position + 3), headDim);
        using var positions = torch.tensor(new long[] { position }, [1, 1]);
        var (cos, sin) = rotary.CosSin(positions);
        using var input = torch.tensor(x, [1, 1, 1, headDim]);
        using var output = RotaryEmbedding.Apply(input, cos, sin);
        cos.Dispose();
        sin.Dispose();
        var actual = Flat(output);
        for (var i = 0; i < headDim / 2; i++)
        {
            // HF rotate_half pairs dimension i with i + d/2; the angle uses inv_freq_i = 1/θ^(2i/d).
            var angle = position * (1.0 / Math.Pow(10000, 2.0 * i / headDim));
            var (a, b) = ((double)x[i], (double)x[i + (headDim / 2)]);
            Assert.Equal((a * Math.Cos(angle)) - (b * Math.Sin(angle)), actual[i], 4);
            Assert.Equal((b * Math.Cos(angle)) + (a * Math.Sin(angle)), actual[i + (headDim / 2)], 4);
        }
    }

    [Fact]
    public void Quick_gelu_is_x_times_sigmoid_of_1_702_x()
    {
        var x = new[] { -4f, -1f, -0.25f, 0f, 0.5f, 2f, 6f };
        using var input = torch.tensor(x);
        using var output = Activation.ByName("quick_gelu")(input);
        var actual = Flat(output);
        for (var i = 0; i < x.Length; i++)
        {
            Assert.Equal(PlainMath.QuickGelu(x[i]), actual[i], 6);
        }
    }

    [Fact]
    public void Projector_is_linear_gelu_linear()
    {
        using var projector = new LlavaProjector(6, 4, "gelu");
        var w = SeededWeights.Fill(projector, 5);
        var x = SeededWeights.Values(new Random(6), 3 * 6, 2f);
        using var input = torch.tensor(x, [3, 6]);
        using var output = projector.forward(input);
        var actual = Flat(output);
        for (var row = 0; row < 3; row++)
        {
            var h = PlainMath.Linear(x.Skip(row * 6).Take(6).Select(v => (double)v).ToArray(), w["linear_1.weight"], w["linear_1.bias"], 4)
                .Select(PlainMath.Gelu).ToArray();
            var y = PlainMath.Linear(h, w["linear_2.weight"], w["linear_2.bias"], 4);
            for (var i = 0; i < 4; i++)
            {
                Assert.Equal(y[i], actual[(row * 4) + i], 5);
            }
        }
    }

    [Fact]
    public void Clip_embeddings_put_cls_first_and_add_positions_to_patch_convolutions()
    {
        const int hidden = 5, image = 4, patch = 2, channels = 3, grid = 2;
        using var embeddings = new ClipVisionEmbeddings(hidden, image, patch, channels);
        var w = SeededWeights.Fill(embeddings, 7);
        var pixels = SeededWeights.Values(new Random(8), channels * image * image);
        using var input = torch.tensor(pixels, [1, channels, image, image]);
        using var output = embeddings.forward(input);
        Assert.Equal([1, 1 + (grid * grid), hidden], output.shape);
        var actual = Flat(output);
        var position = w["position_embedding.weight"];
        for (var d = 0; d < hidden; d++)
        {
            Assert.Equal(w["class_embedding"][d] + position[d], actual[d], 5);
        }

        for (var p = 0; p < grid * grid; p++)
        {
            var (py, px) = (p / grid, p % grid);
            for (var d = 0; d < hidden; d++)
            {
                double sum = 0;
                for (var c = 0; c < channels; c++)
                {
                    for (var ky = 0; ky < patch; ky++)
                    {
                        for (var kx = 0; kx < patch; kx++)
                        {
                            var weight = w["patch_embedding.weight"][(((((d * channels) + c) * patch) + ky) * patch) + kx];
                            var pixel = pixels[(((c * image) + (py * patch) + ky) * image) + (px * patch) + kx];
                            sum += weight * pixel;
                        }
                    }
                }

                Assert.Equal(sum + position[((p + 1) * hidden) + d], actual[((p + 1) * hidden) + d], 5);
            }
        }
    }

    [Fact]
    public void Grouped_query_attention_with_padding_matches_a_plain_loop()
    {
        const int hidden = 8, heads = 4, kvHeads = 2, headDim = 2, length = 5;
        int[] lengths = [5, 3];
        using var attention = new LlamaAttention(hidden, heads, kvHeads, headDim, qkvBias: false, outputBias: false);
        var w = SeededWeights.Fill(attention, 9, 0.5f);
        var x = SeededWeights.Values(new Random(10), lengths.Length * length * hidden);
        var rotary = new RotaryEmbedding(headDim, 10000);
        using var positions = torch.arange(length).unsqueeze(0).expand(lengths.Length, length);
        var (cos, sin) = rotary.CosSin(positions);
        using var mask = LlamaModel.CausalMask(length, 0, torch.CPU); // the padded rows of sequence 1 are not checked
        using var input = torch.tensor(x, [lengths.Length, length, hidden]);
        var result = attention.forward(new DecoderInput(input, mask, cos, sin));
        result.KeyValues.Dispose();
        using var output = result.Hidden;
        cos.Dispose();
        sin.Dispose();
        var actual = Flat(output);

        for (var b = 0; b < lengths.Length; b++)
        {
            double[] Row(int t) => x.Skip(((b * length) + t) * hidden).Take(hidden).Select(v => (double)v).ToArray();
            double[] Rotate(double[] v, int pos)
            {
                var r = new double[v.Length];
                for (var h = 0; h < v.Length / headDim; h++)
                {
                    var angle = pos * (1.0 / Math.Pow(10000, 0.0 / headDim)); // headDim 2: one frequency, inv_freq 1
                    var (a, c) = (v[h * headDim], v[(h * headDim) + 1]);
                    r[h * headDim] = (a * Math.Cos(angle)) - (c * Math.Sin(angle));
                    r[(h * headDim) + 1] = (c * Math.Cos(angle)) + (a * Math.Sin(angle));
                }

                return r;
            }

            var q = Enumerable.Range(0, lengths[b]).Select(t => Rotate(PlainMath.Linear(Row(t), w["q_proj.weight"], null, heads * headDim), t)).ToArray();
            var k = Enumerable.Range(0, lengths[b]).Select(t => Rotate(PlainMath.Linear(Row(t), w["k_proj.weight"], null, kvHeads * headDim), t)).ToArray();
            var v = Enumerable.Range(0, lengths[b]).Select(t => PlainMath.Linear(Row(t), w["v_proj.weight"], null, kvHeads * headDim)).ToArray();
            for (var t = 0; t < lengths[b]; t++)
            {
                var concat = new double[heads * headDim];
                for (var h = 0; h < heads; h++)
                {
                    var g = h / (heads / kvHeads);
                    var scores = Enumerable.Range(0, t + 1).Select(s =>
                        Enumerable.Range(0, headDim).Sum(d => q[t][(h * headDim) + d] * k[s][(g * headDim) + d]) / Math.Sqrt(headDim)).ToArray();
                    var p = PlainMath.Softmax(scores);
                    for (var d = 0; d < headDim; d++)
                    {
                        concat[(h * headDim) + d] = Enumerable.Range(0, t + 1).Sum(s => p[s] * v[s][(g * headDim) + d]);
                    }
                }

                var expected = PlainMath.Linear(concat, w["o_proj.weight"], null, hidden);
                for (var i = 0; i < hidden; i++)
                {
                    Assert.Equal(expected[i], actual[(((b * length) + t) * hidden) + i], 5);
                }
            }
        }
    }

    [Fact]
    public void The_causal_mask_hides_exactly_the_future_keys()
    {
        using var mask = LlamaModel.CausalMask(3, 0, torch.CPU);

        Assert.Equal([1L, 1, 3, 3], mask.shape);
        var m = Flat(mask);
        for (var q = 0; q < 3; q++)
        {
            for (var k = 0; k < 3; k++)
            {
                Assert.Equal(k <= q ? 0f : float.MinValue, m[(q * 3) + k]);
            }
        }
    }
}
