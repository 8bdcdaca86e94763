using Mining.Kernels.Checkpoints;

namespace Mining.Kernels.Tests.Checkpoints;

public sealed class HalfPrecisionTests
{
    // Bit patterns worked out by hand from IEEE 754: sign | exponent (bias 15 for half, 127 for bf16) | mantissa.
    [Theory]
    [InlineData(1.0f, 0x3C00)] // 2^0: exponent 15
    [InlineData(-2.5f, 0xC100)] // -1.25·2^1: sign, exponent 16, mantissa .01
    [InlineData(65504f, 0x7BFF)] // largest half: 1.1111111111b·2^15
    [InlineData(65520f, 0x7C00)] // midway to 65536, ties to even → overflows to +inf
    [InlineData(0.000000059604645f, 0x0001)] // 2^-24, smallest subnormal
    [InlineData(1.00048828125f, 0x3C00)] // 1 + 2^-11: tie between 0x3C00 and 0x3C01, even wins
    [InlineData(1.00146484375f, 0x3C02)] // 1 + 3·2^-11: tie between 0x3C01 and 0x3C02, even wins
    [InlineData(0f, 0x0000)]
    [InlineData(-0f, 0x8000)]
    public void Float16_bits_round_to_nearest_even(float value, int expected)
    {
        Assert.Equal((ushort)expected, HalfPrecision.ToFloat16Bits(value));
    }

    [Theory]
    [InlineData(1.0f, 0x3F80)] // 0x3F800000
    [InlineData(-2.5f, 0xC020)] // 0xC0200000
    [InlineData(65504f, 0x4780)] // 0x477FE000: dropped half 0xE000 > 0x8000, rounds up to 65536
    [InlineData(1.00390625f, 0x3F80)] // 0x3F808000: exact tie, kept half 0x3F80 is even → stays
    [InlineData(1.01171875f, 0x3F82)] // 0x3F818000: exact tie, kept half 0x3F81 is odd → up to 0x3F82
    [InlineData(1.0039063692092896f, 0x3F81)] // 0x3F808001: just past the tie → up
    [InlineData(3.4028234663852886e38f, 0x7F80)] // float.MaxValue rounds past the largest bf16 → +inf
    public void BFloat16_bits_round_to_nearest_even(float value, int expected)
    {
        Assert.Equal((ushort)expected, HalfPrecision.ToBFloat16Bits(value));
    }

    [Fact]
    public void BFloat16_keeps_nan_a_nan()
    {
        Assert.True(float.IsNaN(HalfPrecision.FromBFloat16Bits(HalfPrecision.ToBFloat16Bits(float.NaN))));
        Assert.True(float.IsNaN(HalfPrecision.FromBFloat16Bits(HalfPrecision.ToBFloat16Bits(BitConverter.UInt32BitsToSingle(0x7F800001)))));
    }

    [Theory]
    [InlineData(0x3C00, 1.0f)]
    [InlineData(0xC100, -2.5f)]
    [InlineData(0x7BFF, 65504f)]
    [InlineData(0x0001, 0.000000059604645f)]
    [InlineData(0x3555, 0.333251953125f)] // 1.0101010101b·2^-2
    public void Float16_bits_widen_exactly(int bits, float expected)
    {
        Assert.Equal(expected, HalfPrecision.FromFloat16Bits((ushort)bits));
    }

    [Theory]
    [InlineData(0x3F80, 1.0f)]
    [InlineData(0xC020, -2.5f)]
    [InlineData(0x4780, 65536f)]
    [InlineData(0x3EAB, 0.333984375f)] // 0x3EAB0000
    public void BFloat16_bits_widen_exactly(int bits, float expected)
    {
        Assert.Equal(expected, HalfPrecision.FromBFloat16Bits((ushort)bits));
    }
}
