using System.Text;

namespace Mining.Kernels.Tests.Text;

/// <summary>A plain protobuf field lister written for the tests, independent of the code under test.</summary>
internal static class PlainProtobufFields
{
    /// <summary>The top-level fields of a message: (field number, wire type, raw value bytes or varint).</summary>
    public static List<(int Field, int WireType, byte[] Bytes, ulong Number)> Read(byte[] message)
    {
        var fields = new List<(int, int, byte[], ulong)>();
        var i = 0;
        while (i < message.Length)
        {
            var key = Varint(message, ref i);
            var field = (int)(key >> 3);
            var wire = (int)(key & 7);
            switch (wire)
            {
                case 0:
                    fields.Add((field, wire, [], Varint(message, ref i)));
                    break;
                case 2:
                    var length = (int)Varint(message, ref i);
                    fields.Add((field, wire, message[i..(i + length)], 0));
                    i += length;
                    break;
                case 5:
                    fields.Add((field, wire, message[i..(i + 4)], 0));
                    i += 4;
                    break;
                default:
                    throw new InvalidDataException($"wire type {wire} at byte {i}");
            }
        }

        return fields;
    }

    /// <summary>The ModelProto's pieces: text and type (1 = NORMAL when the type field is absent).</summary>
    public static List<(string Piece, float Score, int Type)> Pieces(byte[] modelProto)
    {
        var pieces = new List<(string, float, int)>();
        foreach (var (field, _, bytes, _) in Read(modelProto).Where(f => f.Field == 1))
        {
            var sub = Read(bytes);
            var text = Encoding.UTF8.GetString(sub.Single(f => f.Field == 1).Bytes);
            var scoreField = sub.Where(f => f.Field == 2).Select(f => f.Bytes).SingleOrDefault();
            var score = scoreField is null ? 0f : BitConverter.ToSingle(scoreField);
            var type = sub.Where(f => f.Field == 3).Select(f => (int)f.Number).DefaultIfEmpty(1).Single();
            pieces.Add((text, score, type));
        }

        return pieces;
    }

    /// <summary>The varint fields of the sub-message at <paramref name="field"/> (trainer_spec 2, normalizer_spec 3).</summary>
    public static Dictionary<int, ulong> VarintsOf(byte[] modelProto, int field) =>
        Read(Read(modelProto).Single(f => f.Field == field).Bytes)
            .Where(f => f.WireType == 0)
            .ToDictionary(f => f.Field, f => f.Number);

    private static ulong Varint(byte[] bytes, ref int i)
    {
        ulong value = 0;
        for (var shift = 0; ; shift += 7)
        {
            var b = bytes[i++];
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                return value;
            }
        }
    }
}
