namespace Mining.Kernels.Checkpoints;

/// <summary>Bit-level conversions between float32 and the 16-bit weight formats (IEEE half, bfloat16), rounding to nearest even.</summary>
public static class HalfPrecision
{
    /// <summary>The IEEE half-precision bits nearest to <paramref name="value"/> (ties to even; overflow gives infinity).</summary>
    /// <remarks>.NET's float→Half conversion is correctly rounded (IEEE 754 roundTiesToEven).</remarks>
    public static ushort ToFloat16Bits(float value) => BitConverter.HalfToUInt16Bits((Half)value);

    /// <summary>The float32 equal to the half-precision value <paramref name="bits"/> (exact: every half is a float).</summary>
    public static float FromFloat16Bits(ushort bits) => (float)BitConverter.UInt16BitsToHalf(bits);

    /// <summary>The bfloat16 bits nearest to <paramref name="value"/> (ties to even; NaN stays a quiet NaN of the same sign).</summary>
    /// <remarks>
    /// The usual bias trick (as in PyTorch's c10/util/BFloat16.h round_to_nearest_even): adding 0x7FFF plus the lowest
    /// kept bit to the float's bits carries into the kept half exactly when the dropped half is above the midpoint, or at
    /// it with an odd kept half. Values past the largest bfloat16 carry into the exponent and become infinity.
    /// </remarks>
    public static ushort ToBFloat16Bits(float value)
    {
        var bits = BitConverter.SingleToUInt32Bits(value);
        if (float.IsNaN(value))
        {
            return (ushort)((bits >> 16) | 0x0040);
        }

        var bias = 0x7FFFu + ((bits >> 16) & 1u);
        return (ushort)((bits + bias) >> 16);
    }

    /// <summary>The float32 equal to the bfloat16 value <paramref name="bits"/> (exact: the bits become the float's upper half).</summary>
    public static float FromBFloat16Bits(ushort bits) => BitConverter.UInt32BitsToSingle((uint)bits << 16);
}
