using Mining.Kernels.Codebooks;
using Mining.Kernels.IO;
using Mining.Kernels.Tests.Codebooks;
using Mining.Probe.Codebooks;

namespace Mining.Kernels.Tests.Probe;

/// <summary>
/// The released LLaVA-1.5-7B codebook imported from its .npy, exported to Parquet v1 and read back from the file as a
/// stream; 2880 synthetic visual tokens (five images of 576) in float32 and rounded to float16; and the scores of
/// the float32 tokens from a plain double-precision loop over the .npy's rows decoded here by hand.
/// </summary>
/// <remarks>
/// Tokens are a prototype's direction mixed with Gaussian noise in random proportions (every fourth one pure noise),
/// at random lengths between 10 and 60, so s(t) spreads over [0, 1] and both decisions of both modes occur.
/// </remarks>
internal sealed class ReferenceProbeData
{
    public const int Hidden = 4096;
    public const int Rows = 454;
    public const int TokenCount = 2880;
    public const string Model = "llava-hf/llava-1.5-7b-hf";

    private static readonly Lazy<ReferenceProbeData> Shared = new(Make);

    private ReferenceProbeData(string exported, Codebook codebook, float[] tokens, Half[] halfTokens, double[] plainScores)
    {
        Exported = exported;
        Codebook = codebook;
        Tokens = tokens;
        HalfTokens = halfTokens;
        PlainScores = plainScores;
    }

    public static ReferenceProbeData Value => Shared.Value;

    /// <summary>The exported Parquet file.</summary>
    public string Exported { get; }

    /// <summary>The codebook read back from <see cref="Exported"/>.</summary>
    public Codebook Codebook { get; }

    /// <summary>Row-major [2880, 4096] float32 tokens.</summary>
    public float[] Tokens { get; }

    /// <summary><see cref="Tokens"/> rounded to float16.</summary>
    public Half[] HalfTokens { get; }

    /// <summary>s(t) of each float32 token by the plain loop, in double.</summary>
    public double[] PlainScores { get; }

    private static ReferenceProbeData Make()
    {
        var exported = Path.Combine(TestData.NewTempFolder(), "reference.parquet");
        CodebookParquet.Write(CodebookImport.FromNpy(CodebookImportTests.ReferenceNpy, CodebookImportTests.ReferenceIds, Model), exported);
        Codebook codebook;
        using (var stream = File.OpenRead(exported))
        {
            codebook = CodebookParquet.ReadAsync(stream, exported).GetAwaiter().GetResult();
        }

        var prototypes = DecodeRows();
        var random = new Random(20251125);
        var tokens = new float[TokenCount * Hidden];
        for (var t = 0; t < TokenCount; t++)
        {
            var row = tokens.AsSpan(t * Hidden, Hidden);
            var prototype = prototypes[random.Next(Rows)];
            var weight = t % 4 == 0 ? 0 : random.NextDouble();
            var length = 10 + (50 * random.NextDouble());
            var prototypeNorm = Math.Sqrt(prototype.Sum(v => (double)v * v));
            var noise = new double[Hidden];
            for (var j = 0; j < Hidden; j++)
            {
                noise[j] = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
            }

            var noiseNorm = Math.Sqrt(noise.Sum(v => v * v));
            var mixed = new double[Hidden];
            for (var j = 0; j < Hidden; j++)
            {
                mixed[j] = (weight * prototype[j] / prototypeNorm) + ((1 - weight) * noise[j] / noiseNorm);
            }

            var mixedNorm = Math.Sqrt(mixed.Sum(v => v * v));
            for (var j = 0; j < Hidden; j++)
            {
                row[j] = (float)(mixed[j] / mixedNorm * length);
            }
        }

        var half = tokens.Select(v => (Half)v).ToArray();
        return new ReferenceProbeData(exported, codebook, tokens, half, PlainMaxCosine(tokens, prototypes));
    }

    /// <summary>max over the rows of t·p / (|t| |p|), every product and sum in double, one pair at a time.</summary>
    private static double[] PlainMaxCosine(float[] tokens, float[][] prototypes)
    {
        var prototypeNorms = prototypes.Select(p => Math.Sqrt(p.Sum(v => (double)v * v))).ToArray();
        var scores = new double[TokenCount];

        // Tokens are independent, so the loop over them may run in parallel without changing a result.
        Parallel.For(0, TokenCount, t =>
        {
            var tokenSquares = 0.0;
            for (var j = 0; j < Hidden; j++)
            {
                tokenSquares += (double)tokens[(t * Hidden) + j] * tokens[(t * Hidden) + j];
            }

            var best = double.NegativeInfinity;
            for (var p = 0; p < Rows; p++)
            {
                var dot = 0.0;
                for (var j = 0; j < Hidden; j++)
                {
                    dot += (double)tokens[(t * Hidden) + j] * prototypes[p][j];
                }

                best = Math.Max(best, dot / (Math.Sqrt(tokenSquares) * prototypeNorms[p]));
            }

            scores[t] = best;
        });
        return scores;
    }

    /// <summary>The .npy's float16 rows, each element decoded with <see cref="BitConverter.ToHalf(byte[], int)"/>.</summary>
    private static float[][] DecodeRows()
    {
        var npy = NpyFile.Read(CodebookImportTests.ReferenceNpy);
        Assert.Equal(NpyDType.Float16, npy.DType);
        Assert.Equal([Rows, Hidden], npy.Shape);
        return Enumerable.Range(0, Rows)
            .Select(r => Enumerable.Range(0, Hidden).Select(j => (float)BitConverter.ToHalf(npy.Data, 2 * ((r * Hidden) + j))).ToArray())
            .ToArray();
    }
}
