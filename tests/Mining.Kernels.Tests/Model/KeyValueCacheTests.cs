using Mining.Kernels.Model;
using TorchSharp;
using static TorchSharp.torch;

namespace Mining.Kernels.Tests.Model;

/// <summary>Continuing a key/value cache gives what one uncached forward over the whole sequence gives.</summary>
public sealed class KeyValueCacheTests
{
    private const int Hidden = 16, Heads = 4, KvHeads = 2, HeadDim = 4, Layers = 2;

    [Fact]
    public void A_forward_continuing_a_cached_prefix_equals_one_uncached_forward()
    {
        using var model = NewModel();
        using var noGrad = torch.no_grad();
        using var scope = torch.NewDisposeScope();
        var sequence = torch.tensor(SeededWeights.Values(new Random(3), 10 * Hidden), [1, 10, Hidden]);

        var whole = model.Forward(sequence, [10]).Hidden;
        using var cache = model.Forward(sequence.narrow(1, 0, 4), [4], keepKeyValues: true).Cache!;
        var continued = model.Forward(sequence.narrow(1, 4, 6), [6], cache).Hidden;

        Assert.Equal(4, cache.Length);
        var max = (continued - whole.narrow(1, 4, 6)).abs().max().item<float>();
        Assert.True(max <= 1e-5, $"continued hidden states differ by {max}");
    }

    [Fact]
    public void Right_padded_sequences_sharing_one_batch_one_cache_equal_their_uncached_forwards()
    {
        using var model = NewModel();
        using var noGrad = torch.no_grad();
        using var scope = torch.NewDisposeScope();
        var prefix = torch.tensor(SeededWeights.Values(new Random(4), 3 * Hidden), [1, 3, Hidden]);
        var tails = torch.tensor(SeededWeights.Values(new Random(5), 2 * 5 * Hidden), [2, 5, Hidden]);
        int[] lengths = [5, 2];
        using var cache = model.Forward(prefix, [3], keepKeyValues: true).Cache!;

        var batched = model.Forward(tails, lengths, cache).Hidden;

        for (var b = 0; b < 2; b++)
        {
            var alone = model.Forward(torch.cat([prefix, tails.narrow(0, b, 1).narrow(1, 0, lengths[b])], dim: 1), [3 + lengths[b]]).Hidden;
            var max = (batched.narrow(0, b, 1).narrow(1, 0, lengths[b]) - alone.narrow(1, 3, lengths[b])).abs().max().item<float>();
            Assert.True(max <= 1e-5, $"sequence {b} differs by {max}");
        }
    }

    [Fact]
    public void The_mask_opens_every_cached_key_and_the_new_keys_up_to_each_position()
    {
        using var mask = LlamaModel.CausalMask(length: 2, pastLength: 3, torch.CPU);

        Assert.Equal([1L, 1, 2, 5], mask.shape);
        var m = mask.data<float>().ToArray();
        for (var q = 0; q < 2; q++)
        {
            for (var k = 0; k < 5; k++)
            {
                var open = k < 3 || k - 3 <= q;
                Assert.Equal(open ? 0f : float.MinValue, m[(q * 5) + k]);
            }
        }
    }

    [Fact]
    public void A_narrowed_cache_views_the_first_positions_of_every_layer()
    {
        using var model = NewModel();
        using var noGrad = torch.no_grad();
        using var sequence = torch.tensor(SeededWeights.Values(new Random(6), 6 * Hidden), [1, 6, Hidden]);
        var output = model.Forward(sequence, [6], keepKeyValues: true);
        output.Hidden.Dispose();
        using var cache = output.Cache!;

        using var narrowed = cache.Narrow(2);

        Assert.Equal(2, narrowed.Length);
        Assert.Equal(Layers, narrowed.Layers.Count);
        using var scope = torch.NewDisposeScope();
        Assert.True(narrowed.Layers[1].Keys.eq(cache.Layers[1].Keys.narrow(2, 0, 2)).all().item<bool>());
    }

    private static LlamaModel NewModel()
    {
        var model = new LlamaModel(vocab: 8, Hidden, intermediate: 24, Layers, Heads, KvHeads, HeadDim, rmsNormEps: 1e-5, ropeTheta: 10000, "silu", qkvBias: false, outputBias: false, mlpBias: false);
        SeededWeights.Fill(model, 2);
        model.eval();
        return model;
    }
}
