using Mining.Probe.Pruning;

namespace Mining.Kernels.Tests.Probe;

/// <summary>
/// Float16 and float32 token inputs with the released codebook. A float16 token is widened exactly, so it keeps what
/// its float32 widening keeps, bit for bit. Rounding float32 tokens to float16 (11 significant bits) moves each
/// score a little (here at most 1e-5: the cosine averages the rounding errors of 4096 elements); the keep sets then
/// agree except for tokens whose score lies within that movement of the decision boundary: those are the "ties
/// aside" of the acceptance criterion (none occur in this data).
/// </summary>
public sealed class Float16ProbeTests(ITestOutputHelper output)
{
    private const int N = ReferenceProbeData.TokenCount;

    private static ReferenceProbeData Data => ReferenceProbeData.Value;

    private static readonly Lazy<PrototypeProbe> Probe = new(() => PrototypeProbe.FromCodebook(Data.Codebook));

    public static TheoryData<string> Rules => new() { "threshold", "ratio" };

    private static KeepRule Rule(string name) => name == "threshold" ? KeepRule.Threshold(0.45) : KeepRule.Ratio(0.25);

    [Theory]
    [MemberData(nameof(Rules))]
    public void Float16_tokens_keep_exactly_what_their_float32_widening_keeps(string rule)
    {
        var widened = Data.HalfTokens.Select(h => (float)h).ToArray();
        var fromHalf = new float[N];
        var fromSingle = new float[N];
        Probe.Value.MaxSimilarity(Data.HalfTokens, N, fromHalf);
        Probe.Value.MaxSimilarity(widened, N, fromSingle);

        Assert.Equal(fromSingle.Select(BitConverter.SingleToInt32Bits), fromHalf.Select(BitConverter.SingleToInt32Bits));
        Assert.Equal(Probe.Value.Select(widened, N, Rule(rule)), Probe.Value.Select(Data.HalfTokens, N, Rule(rule)));
    }

    [Theory]
    [MemberData(nameof(Rules))]
    public void Rounding_tokens_to_float16_changes_only_decisions_within_the_rounding_of_the_boundary(string rule)
    {
        var single = new float[N];
        var half = new float[N];
        Probe.Value.MaxSimilarity(Data.Tokens, N, single);
        Probe.Value.MaxSimilarity(Data.HalfTokens, N, half);
        var movement = Enumerable.Range(0, N).Max(i => Math.Abs(single[i] - half[i]));
        Assert.True(movement < 1e-3, $"float16 rounding moved a score by {movement}");

        var keepSingle = PrototypeProbe.Keep(single, Rule(rule));
        var keepHalf = PrototypeProbe.Keep(half, Rule(rule));
        var boundary = rule == "threshold" ? 0.45 : single.Order().ElementAt(keepSingle.Length - 1);
        var disagreements = keepSingle.Except(keepHalf).Union(keepHalf.Except(keepSingle)).ToArray();
        output.WriteLine($"{rule}: largest score movement {movement:E2}; {disagreements.Length} of {N} decisions differ");

        Assert.All(disagreements, i => Assert.True(
            Math.Abs(single[i] - boundary) <= 2 * movement,
            $"token {i} (s = {single[i]} in float32, {half[i]} in float16) changed its decision although it lies {Math.Abs(single[i] - boundary)} from the boundary"));
        if (rule == "ratio")
        {
            Assert.Equal(keepSingle.Length, keepHalf.Length);
        }
    }
}
