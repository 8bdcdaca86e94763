using System.Text.Json;
using Mining.Kernels.IO;

namespace Mining.Client.Tests.Commands;

/// <summary>
/// <c>mining probe --json</c> with the released LLaVA-1.5-7B codebook on synthetic tokens, against a plain loop in
/// this file: s(t) = the largest cosine, in double, between the token and any of the 454 float16 rows of the .npy.
/// </summary>
/// <remarks>
/// The 50 tokens: Gaussian noise; mixtures of a prototype's direction and noise in random proportions, which
/// spread s(t) over [0, 1]; three exact copies of codebook rows; and two copies of the token whose s(t) falls at
/// the 12th place, one at index 0 and one at the end, so that ratio mode must break a three-way tie by index.
/// </remarks>
public sealed class ProbeJsonTests(ITestOutputHelper output)
{
    private const int Hidden = 4096;
    private const int Rows = 454;
    private const double Threshold = 0.45;
    private const double Ratio = 0.25;

    /// <summary>The CLI scores in float32; the loop here in double.</summary>
    private const double Tolerance = 1e-5;

    /// <summary>No score but the tied ones may lie this close to a decision boundary, or float32 rounding could move it across.</summary>
    private const double Margin = 1e-4;

    private static readonly Lazy<Synthetic> Data = new(Synthetic.Make);

    private static readonly Lazy<CliResult> ThresholdRun = new(() => Probe("--threshold", "0.45"));

    private static readonly Lazy<CliResult> RatioRun = new(() => Probe("--ratio", "0.25"));

    [Fact]
    public void Max_similarity_equals_the_plain_double_loop_within_1e5()
    {
        var actual = MaxSimilarity(ThresholdRun.Value);
        var expected = Data.Value.Scores;
        Assert.Equal(expected.Length, actual.Length);
        var max = expected.Zip(actual, (e, a) => Math.Abs(e - a)).Max();
        output.WriteLine($"max |s_cli - s_loop| = {max:E3} over {expected.Length} tokens");
        Assert.True(max <= Tolerance, $"max_similarity differs from the plain loop by {max}");
    }

    [Fact]
    public void Exact_copies_of_codebook_rows_have_max_similarity_1()
    {
        var actual = MaxSimilarity(ThresholdRun.Value);
        Assert.NotEmpty(Data.Value.CopyIndices);
        Assert.All(Data.Value.CopyIndices, i => Assert.True(Math.Abs(actual[i] - 1) <= Tolerance, $"token {i}, a copy of a codebook row, has s = {actual[i]}"));
    }

    [Fact]
    public void Threshold_0_45_keeps_exactly_the_tokens_scoring_below_it_in_ascending_order()
    {
        var scores = Data.Value.Scores;
        var expected = Enumerable.Range(0, scores.Length).Where(i => scores[i] < Threshold).ToArray();
        Assert.InRange(expected.Length, 1, scores.Length - 1); // both decisions occur
        Assert.DoesNotContain(scores, s => Math.Abs(s - Threshold) <= Margin);
        Assert.Equal(expected, Keep(ThresholdRun.Value));
    }

    [Fact]
    public void Ratio_0_25_of_50_keeps_the_12_lowest_with_ties_to_the_lower_index_in_ascending_order()
    {
        var scores = Data.Value.Scores;
        var keepCount = (int)Math.Round(scores.Length * Ratio, MidpointRounding.ToEven);
        Assert.Equal(12, keepCount); // 12.5 rounds half to even, as Python's round in the reference
        var order = Enumerable.Range(0, scores.Length).OrderBy(i => scores[i]).ThenBy(i => i).ToArray();
        var expected = order[..keepCount].Order().ToArray();

        // The last place kept is shared by three identical tokens (one at index 0); nothing else is near it.
        var boundary = scores[order[keepCount - 1]];
        Assert.Equal(3, scores.Count(s => s == boundary));
        Assert.DoesNotContain(scores, s => s != boundary && Math.Abs(s - boundary) <= Margin);
        Assert.Contains(0, expected);

        Assert.Equal(expected, Keep(RatioRun.Value));
    }

    private static CliResult Probe(params string[] mode) =>
        CliProcess.Run(["probe", "--codebook", ReferenceCodebookRuns.Imported, "--tokens", Data.Value.TokensFile, .. mode, "--json"]);

    private static double[] MaxSimilarity(CliResult run)
    {
        using var document = Json(run);
        return document.RootElement.GetProperty("max_similarity").EnumerateArray().Select(e => e.GetDouble()).ToArray();
    }

    private static int[] Keep(CliResult run)
    {
        using var document = Json(run);
        return document.RootElement.GetProperty("keep").EnumerateArray().Select(e => e.GetInt32()).ToArray();
    }

    private static JsonDocument Json(CliResult run)
    {
        Assert.True(run.ExitCode == 0, run.Describe());
        return JsonDocument.Parse(run.Stdout);
    }

    /// <summary>The synthetic tokens, the .npy they were written to, their plain-loop scores and where the row copies are.</summary>
    private sealed record Synthetic(string TokensFile, double[] Scores, int[] CopyIndices)
    {
        public static Synthetic Make()
        {
            var prototypes = DecodeFloat16Rows();
            var random = new Random(20250611);
            var tokens = new List<float[]>();
            for (var i = 0; i < 45; i++)
            {
                var noise = Gaussian(random);
                tokens.Add(i % 3 == 0 ? Scaled(noise, 30) : Mixed(prototypes[random.Next(Rows)], noise, random.NextDouble()));
            }

            // Exact copies of three rows, widened from float16 to float32 without rounding.
            foreach (var (index, row) in new[] { (4, 0), (20, 227), (38, Rows - 1) })
            {
                tokens.Insert(index, (float[])prototypes[row].Clone());
            }

            // Two more copies of the token at the 12th place: one before it, at index 0, and one after it, at the end.
            var scores = tokens.Select(t => PlainMaxCosine(t, prototypes)).ToArray();
            var twelfth = Enumerable.Range(0, tokens.Count).OrderBy(i => scores[i]).ThenBy(i => i).ElementAt(11);
            var tied = tokens[twelfth];
            tokens.Insert(0, (float[])tied.Clone());
            tokens.Add((float[])tied.Clone());

            var file = Path.Combine(TestData.NewTempFolder(), "tokens.npy");
            NpyFile.Write(file, NpyArray.FromFloat32(tokens.SelectMany(t => t).ToArray(), tokens.Count, Hidden));
            var copies = Enumerable.Range(0, tokens.Count).Where(i => prototypes.Any(p => p.AsSpan().SequenceEqual(tokens[i]))).ToArray();
            Assert.Equal(3, copies.Length);
            return new Synthetic(file, tokens.Select(t => PlainMaxCosine(t, prototypes)).ToArray(), copies);
        }

        /// <summary>max over the prototypes of t·p / (|t| |p|), all in double.</summary>
        private static double PlainMaxCosine(float[] token, float[][] prototypes)
        {
            var best = double.NegativeInfinity;
            foreach (var prototype in prototypes)
            {
                double dot = 0, tokenSquares = 0, prototypeSquares = 0;
                for (var j = 0; j < Hidden; j++)
                {
                    dot += (double)token[j] * prototype[j];
                    tokenSquares += (double)token[j] * token[j];
                    prototypeSquares += (double)prototype[j] * prototype[j];
                }

                best = Math.Max(best, dot / (Math.Sqrt(tokenSquares) * Math.Sqrt(prototypeSquares)));
            }

            return best;
        }

        /// <summary>The 454 rows of the released .npy, each float16 decoded with <see cref="BitConverter.ToHalf(byte[], int)"/>.</summary>
        private static float[][] DecodeFloat16Rows()
        {
            var npy = NpyFile.Read(TestData.ReferencePrototypes);
            Assert.Equal(NpyDType.Float16, npy.DType);
            Assert.Equal([Rows, Hidden], npy.Shape);
            return Enumerable.Range(0, Rows)
                .Select(r => Enumerable.Range(0, Hidden).Select(j => (float)BitConverter.ToHalf(npy.Data, 2 * (r * Hidden + j))).ToArray())
                .ToArray();
        }

        // Box–Muller: two uniform numbers make one standard normal one.
        private static float[] Gaussian(Random random)
        {
            var values = new float[Hidden];
            for (var j = 0; j < Hidden; j++)
            {
                var u = 1 - random.NextDouble();
                values[j] = (float)(Math.Sqrt(-2 * Math.Log(u)) * Math.Cos(2 * Math.PI * random.NextDouble()));
            }

            return values;
        }

        private static float[] Scaled(float[] values, double length)
        {
            var norm = Math.Sqrt(values.Sum(v => (double)v * v));
            return values.Select(v => (float)(v / norm * length)).ToArray();
        }

        // weight·p/|p| + (1 − weight)·n/|n|, scaled to length 30: s(t) rises with the weight.
        private static float[] Mixed(float[] prototype, float[] noise, double weight)
        {
            var p = Scaled(prototype, 1);
            var n = Scaled(noise, 1);
            return Scaled(p.Zip(n, (a, b) => (float)(weight * a + (1 - weight) * b)).ToArray(), 30);
        }
    }
}
