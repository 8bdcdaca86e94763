using System.Buffers.Binary;
using System.Text;

namespace Mining.Kernels.Text;

/// <summary>Appends protobuf wire-format fields (https://protobuf.dev/programming-guides/encoding/) to a buffer.</summary>
internal sealed class ProtobufWriter
{
    private readonly MemoryStream _buffer = new();

    public byte[] ToArray() => _buffer.ToArray();

    public void WriteVarintField(int field, ulong value)
    {
        WriteKey(field, ProtobufReader.Varint);
        WriteVarint(value);
    }

    /// <summary>An int32 field: negative values go on the wire sign-extended to 64 bits (ten bytes), as protobuf requires.</summary>
    public void WriteInt32Field(int field, int value) => WriteVarintField(field, unchecked((ulong)(long)value));

    public void WriteBoolField(int field, bool value) => WriteVarintField(field, value ? 1UL : 0UL);

    public void WriteFloatField(int field, float value)
    {
        WriteKey(field, ProtobufReader.Fixed32);
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteSingleLittleEndian(bytes, value);
        _buffer.Write(bytes);
    }

    public void WriteStringField(int field, string value) => WriteBytesField(field, Encoding.UTF8.GetBytes(value));

    public void WriteBytesField(int field, ReadOnlySpan<byte> value)
    {
        WriteKey(field, ProtobufReader.LengthDelimited);
        WriteVarint((ulong)value.Length);
        _buffer.Write(value);
    }

    private void WriteKey(int field, int wireType) => WriteVarint(((ulong)field << 3) | (uint)wireType);

    private void WriteVarint(ulong value)
    {
        while (value >= 0x80)
        {
            _buffer.WriteByte((byte)(value | 0x80));
            value >>= 7;
        }

        _buffer.WriteByte((byte)value);
    }
}
