using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Mining.Kernels.Clustering;

/// <summary>Squared distances and dot products of embedding rows, vectorised with a fixed summation order.</summary>
/// <remarks>
/// Element <c>k</c> always lands in the same accumulator lane (a fixed 16-float block of four 128-bit vectors)
/// and the lanes are added in a fixed order in double, so a result does not depend on the machine's vector width
/// or on threading: the same rows give the same bits on every run and every CPU (.NET does not contract the
/// separate multiply and add into an FMA).
/// </remarks>
internal static class RowArithmetic
{
    private const int Block = 16;

    /// <summary>Σ (a−b)², accumulated in float lanes, the lanes summed in double.</summary>
    public static double SquaredDistance(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        Check(a, b);
        ref var x = ref MemoryMarshal.GetReference(a);
        ref var y = ref MemoryMarshal.GetReference(b);
        var length = a.Length;
        var acc0 = Vector128<float>.Zero;
        var acc1 = Vector128<float>.Zero;
        var acc2 = Vector128<float>.Zero;
        var acc3 = Vector128<float>.Zero;
        var k = 0;
        for (; k <= length - Block; k += Block)
        {
            var d0 = Vector128.LoadUnsafe(ref x, (nuint)k) - Vector128.LoadUnsafe(ref y, (nuint)k);
            var d1 = Vector128.LoadUnsafe(ref x, (nuint)(k + 4)) - Vector128.LoadUnsafe(ref y, (nuint)(k + 4));
            var d2 = Vector128.LoadUnsafe(ref x, (nuint)(k + 8)) - Vector128.LoadUnsafe(ref y, (nuint)(k + 8));
            var d3 = Vector128.LoadUnsafe(ref x, (nuint)(k + 12)) - Vector128.LoadUnsafe(ref y, (nuint)(k + 12));
            acc0 += d0 * d0;
            acc1 += d1 * d1;
            acc2 += d2 * d2;
            acc3 += d3 * d3;
        }

        var sum = SumLanes(acc0, acc1, acc2, acc3);
        for (; k < length; k++)
        {
            var d = (double)Unsafe.Add(ref x, k) - Unsafe.Add(ref y, k);
            sum += d * d;
        }

        return sum;
    }

    /// <summary>Σ a·b with every product and sum in double (cosines near a dedup threshold need the precision).</summary>
    public static double Dot(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        Check(a, b);
        ref var x = ref MemoryMarshal.GetReference(a);
        ref var y = ref MemoryMarshal.GetReference(b);
        var length = a.Length;
        var acc0 = Vector128<double>.Zero;
        var acc1 = Vector128<double>.Zero;
        var acc2 = Vector128<double>.Zero;
        var acc3 = Vector128<double>.Zero;
        var k = 0;
        for (; k <= length - 8; k += 8)
        {
            var (x0, x1) = Vector128.Widen(Vector128.LoadUnsafe(ref x, (nuint)k));
            var (y0, y1) = Vector128.Widen(Vector128.LoadUnsafe(ref y, (nuint)k));
            var (x2, x3) = Vector128.Widen(Vector128.LoadUnsafe(ref x, (nuint)(k + 4)));
            var (y2, y3) = Vector128.Widen(Vector128.LoadUnsafe(ref y, (nuint)(k + 4)));
            acc0 += x0 * y0;
            acc1 += x1 * y1;
            acc2 += x2 * y2;
            acc3 += x3 * y3;
        }

        var sum = SumLanes(acc0, acc1, acc2, acc3);
        for (; k < length; k++)
        {
            sum += (double)Unsafe.Add(ref x, k) * Unsafe.Add(ref y, k);
        }

        return sum;
    }

    /// <summary>Euclidean norm, in double.</summary>
    public static double Norm(ReadOnlySpan<float> a) => Math.Sqrt(Dot(a, a));

    /// <summary>The lanes of four accumulators added in double, lane by lane (the fixed order that makes results reproducible).</summary>
    private static double SumLanes<T>(Vector128<T> acc0, Vector128<T> acc1, Vector128<T> acc2, Vector128<T> acc3)
        where T : INumberBase<T>
    {
        var sum = 0.0;
        for (var lane = 0; lane < Vector128<T>.Count; lane++)
        {
            sum += double.CreateTruncating(acc0.GetElement(lane));
            sum += double.CreateTruncating(acc1.GetElement(lane));
            sum += double.CreateTruncating(acc2.GetElement(lane));
            sum += double.CreateTruncating(acc3.GetElement(lane));
        }

        return sum;
    }

    private static void Check(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        if (a.Length != b.Length)
        {
            throw new ArgumentException($"rows differ in length: {a.Length} vs {b.Length}");
        }
    }
}
