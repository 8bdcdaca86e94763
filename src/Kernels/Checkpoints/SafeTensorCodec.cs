using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace Mining.Kernels.Checkpoints;

/// <summary>Converts the little-endian bytes of F32 / F16 / BF16 tensors to and from float32.</summary>
internal static class SafeTensorCodec
{
    public static void Decode(ReadOnlySpan<byte> source, SafeTensorDType dtype, Span<float> destination)
    {
        switch (dtype)
        {
            case SafeTensorDType.F32 when BitConverter.IsLittleEndian:
                MemoryMarshal.Cast<byte, float>(source).CopyTo(destination);
                break;
            case SafeTensorDType.F32:
                for (var i = 0; i < destination.Length; i++)
                {
                    destination[i] = BinaryPrimitives.ReadSingleLittleEndian(source[(i * 4)..]);
                }

                break;
            case SafeTensorDType.F16:
                for (var i = 0; i < destination.Length; i++)
                {
                    destination[i] = HalfPrecision.FromFloat16Bits(BinaryPrimitives.ReadUInt16LittleEndian(source[(i * 2)..]));
                }

                break;
            case SafeTensorDType.BF16:
                for (var i = 0; i < destination.Length; i++)
                {
                    destination[i] = HalfPrecision.FromBFloat16Bits(BinaryPrimitives.ReadUInt16LittleEndian(source[(i * 2)..]));
                }

                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "only F32, F16 and BF16 decode to float32");
        }
    }

    public static void Encode(ReadOnlySpan<float> source, SafeTensorDType dtype, Span<byte> destination)
    {
        switch (dtype)
        {
            case SafeTensorDType.F32:
                for (var i = 0; i < source.Length; i++)
                {
                    BinaryPrimitives.WriteSingleLittleEndian(destination[(i * 4)..], source[i]);
                }

                break;
            case SafeTensorDType.F16:
                for (var i = 0; i < source.Length; i++)
                {
                    BinaryPrimitives.WriteUInt16LittleEndian(destination[(i * 2)..], HalfPrecision.ToFloat16Bits(source[i]));
                }

                break;
            case SafeTensorDType.BF16:
                for (var i = 0; i < source.Length; i++)
                {
                    BinaryPrimitives.WriteUInt16LittleEndian(destination[(i * 2)..], HalfPrecision.ToBFloat16Bits(source[i]));
                }

                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "only F32, F16 and BF16 can be written");
        }
    }
}
