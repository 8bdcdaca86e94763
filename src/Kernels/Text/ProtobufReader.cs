using System.Buffers.Binary;

namespace Mining.Kernels.Text;

/// <summary>A forward-only reader of protobuf wire format (https://protobuf.dev/programming-guides/encoding/).</summary>
/// <remarks>Every read is bounds-checked and throws <see cref="FormatException"/> on malformed input, so a
/// file that is not protobuf is refused instead of being half-read.</remarks>
internal ref struct ProtobufReader(ReadOnlySpan<byte> data)
{
    private readonly ReadOnlySpan<byte> _data = data;
    private int _position;

    public const int Varint = 0;
    public const int Fixed64 = 1;
    public const int LengthDelimited = 2;
    public const int Fixed32 = 5;

    public readonly bool AtEnd => _position >= _data.Length;

    public readonly int Position => _position;

    /// <summary>Reads the next field key; field numbers start at 1 and groups (wire types 3, 4) are not accepted.</summary>
    public (int Field, int WireType) ReadKey()
    {
        var key = ReadVarint();
        var field = key >> 3;
        var wireType = (int)(key & 7);
        if (field == 0 || field > 536_870_911)
        {
            throw new FormatException($"invalid field number {field} at byte {_position}");
        }

        if (wireType is not (Varint or Fixed64 or LengthDelimited or Fixed32))
        {
            throw new FormatException($"unsupported wire type {wireType} of field {field} at byte {_position}");
        }

        return ((int)field, wireType);
    }

    public ulong ReadVarint()
    {
        ulong result = 0;
        for (var shift = 0; shift < 70; shift += 7)
        {
            if (_position >= _data.Length)
            {
                throw new FormatException($"truncated varint at byte {_position}");
            }

            var b = _data[_position++];
            result |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                return result;
            }
        }

        throw new FormatException($"varint longer than 10 bytes at byte {_position}");
    }

    /// <summary>An int32 field; negative values are sign-extended to ten bytes on the wire.</summary>
    public int ReadInt32() => unchecked((int)ReadVarint());

    public float ReadFloat() => BinaryPrimitives.ReadSingleLittleEndian(Take(4));

    public ReadOnlySpan<byte> ReadLengthDelimited()
    {
        var length = ReadVarint();
        if (length > (ulong)(_data.Length - _position))
        {
            throw new FormatException($"length {length} at byte {_position} runs past the end ({_data.Length} bytes)");
        }

        return Take((int)length);
    }

    public void Skip(int wireType)
    {
        switch (wireType)
        {
            case Varint:
                ReadVarint();
                break;
            case Fixed64:
                Take(8);
                break;
            case LengthDelimited:
                ReadLengthDelimited();
                break;
            case Fixed32:
                Take(4);
                break;
            default:
                throw new FormatException($"unsupported wire type {wireType} at byte {_position}");
        }
    }

    private ReadOnlySpan<byte> Take(int count)
    {
        if (count > _data.Length - _position)
        {
            throw new FormatException($"{count} bytes expected at byte {_position}, only {_data.Length - _position} left");
        }

        var slice = _data.Slice(_position, count);
        _position += count;
        return slice;
    }
}
