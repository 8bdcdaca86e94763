using Mining.Kernels.Checkpoints;
using Mining.Kernels.Model;

namespace Mining.Kernels.Tests.Engine;

public sealed class ForwardWorkTests
{
    [Fact]
    public void A_call_counts_valid_positions_padding_and_the_keys_each_position_reads_in_every_layer()
    {
        var work = ForwardWork.OfCall(layers: 2, [3, 2], paddedLength: 4, cachedLength: 5, headRows: 2);

        // Keys per layer by hand: (3·5 + 1+2+3) + (2·5 + 1+2) = 21 + 13 = 34.
        Assert.Equal(new ForwardWork(1, 2, 5, 8, LayerTokens: 10, KeyValueOnlyTokens: 0, AttendedKeys: 68, HeadRows: 2), work);
    }

    [Fact]
    public void With_last_positions_only_the_final_layer_counts_one_query_per_sequence_and_keys_and_values_for_the_rest()
    {
        var work = ForwardWork.OfCall(layers: 2, [3, 2], paddedLength: 4, cachedLength: 5, headRows: 2, lastPositionsOnly: true);

        // First layer as above (5 positions, 34 pairs); final layer: 2 queries reading 5 + 3 and 5 + 2 keys, 3 key/value-only positions.
        Assert.Equal(new ForwardWork(1, 2, 5, 8, LayerTokens: 7, KeyValueOnlyTokens: 3, AttendedKeys: 49, HeadRows: 2), work);
    }

    [Fact]
    public void Flops_count_the_weight_products_per_position_the_attention_pairs_and_the_head_rows()
    {
        var text = new TextConfig { HiddenSize = 4, NumAttentionHeads = 2, NumKeyValueHeads = 1, IntermediateSize = 6, NumHiddenLayers = 3, VocabSize = 10 };
        var work = new ForwardWork(1, 2, 5, 8, LayerTokens: 15, KeyValueOnlyTokens: 3, AttendedKeys: 34, HeadRows: 2);

        // Whole layer per position: q 4·4 + k, v 2·(4·2) + o 4·4 + MLP 3·4·6 = 120 multiply-adds → 2·120·15 = 3600;
        // key/value only: 2·16·3 = 96; pairs: q·k and p·v over 4 query dimensions, 2·2·4·34 = 544; head: 2·4·10·2 = 160.
        Assert.Equal(4400, work.Flops(text));
    }

    [Fact]
    public void Work_adds_and_subtracts_field_by_field()
    {
        var a = new ForwardWork(1, 2, 3, 4, 5, 6, 7, 8);
        var b = new ForwardWork(10, 20, 30, 40, 50, 60, 70, 80);

        Assert.Equal(new ForwardWork(11, 22, 33, 44, 55, 66, 77, 88), a + b);
        Assert.Equal(b, a + b - a);
    }
}
