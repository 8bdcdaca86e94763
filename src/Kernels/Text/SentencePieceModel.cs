using System.Text;

namespace Mining.Kernels.Text;

/// <summary>The fields of a SentencePiece <c>ModelProto</c> (a <c>tokenizer.model</c> file) that tokenization depends on.</summary>
/// <remarks>Field numbers and defaults follow google/sentencepiece src/sentencepiece_model.proto; a property left
/// unset keeps the proto's default, so a parsed model reads the same as sentencepiece reads it.</remarks>
public sealed record SentencePieceModel
{
    /// <summary>The vocabulary: a token id is an index into this list.</summary>
    public required IReadOnlyList<SentencePieceEntry> Pieces { get; init; }

    public SentencePieceModelType ModelType { get; init; } = SentencePieceModelType.Unigram;

    /// <summary>TrainerSpec.vocab_size; 0 when the file does not record it.</summary>
    public int TrainerVocabSize { get; init; }

    /// <summary>Characters outside the vocabulary become their UTF-8 bytes' <c>&lt;0xNN&gt;</c> pieces instead of <c>&lt;unk&gt;</c>.</summary>
    public bool ByteFallback { get; init; }

    public bool SplitDigits { get; init; }

    /// <summary>"▁" ends a word instead of starting it (not a LLaMA convention).</summary>
    public bool TreatWhitespaceAsSuffix { get; init; }

    public int UnkId { get; init; }

    public int BosId { get; init; } = 1;

    public int EosId { get; init; } = 2;

    public int PadId { get; init; } = -1;

    public string NormalizerName { get; init; } = "";

    public bool AddDummyPrefix { get; init; } = true;

    public bool RemoveExtraWhitespaces { get; init; } = true;

    public bool EscapeWhitespaces { get; init; } = true;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Reads and validates a <c>tokenizer.model</c> file.</summary>
    /// <exception cref="TokenizerException">The file is missing, unreadable, or not a SentencePiece model with pieces.</exception>
    public static SentencePieceModel Read(string path)
    {
        if (!File.Exists(path))
        {
            throw new TokenizerException($"{path}: SentencePiece model file is missing");
        }

        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new TokenizerException($"{path}: cannot read SentencePiece model: {e.Message}", e);
        }

        return Parse(bytes, path);
    }

    /// <summary>Parses the bytes of a serialized <c>ModelProto</c>; <paramref name="source"/> names it in error messages.</summary>
    /// <exception cref="TokenizerException">The bytes are not a SentencePiece model with pieces.</exception>
    public static SentencePieceModel Parse(ReadOnlySpan<byte> bytes, string source)
    {
        if (bytes.IsEmpty)
        {
            throw new TokenizerException($"{source}: not a SentencePiece model: the file is empty");
        }

        SentencePieceModel model;
        try
        {
            model = ParseModelProto(bytes);
        }
        catch (Exception e) when (e is FormatException or DecoderFallbackException)
        {
            throw new TokenizerException($"{source}: not a SentencePiece model (ModelProto protobuf): {e.Message}", e);
        }

        Validate(model, source);
        return model;
    }

    private static SentencePieceModel ParseModelProto(ReadOnlySpan<byte> bytes)
    {
        var pieces = new List<SentencePieceEntry>();
        var model = new SentencePieceModel { Pieces = pieces };
        var reader = new ProtobufReader(bytes);
        while (!reader.AtEnd)
        {
            var (field, wireType) = reader.ReadKey();
            switch (field)
            {
                case ModelProtoFields.PiecesField:
                    Expect(wireType, ProtobufReader.LengthDelimited, "ModelProto.pieces");
                    pieces.Add(ParsePiece(reader.ReadLengthDelimited(), pieces.Count));
                    break;
                case ModelProtoFields.TrainerSpecField:
                    Expect(wireType, ProtobufReader.LengthDelimited, "ModelProto.trainer_spec");
                    model = ParseTrainerSpec(reader.ReadLengthDelimited(), model);
                    break;
                case ModelProtoFields.NormalizerSpecField:
                    Expect(wireType, ProtobufReader.LengthDelimited, "ModelProto.normalizer_spec");
                    model = ParseNormalizerSpec(reader.ReadLengthDelimited(), model);
                    break;
                default:
                    reader.Skip(wireType);
                    break;
            }
        }

        return model;
    }

    private static SentencePieceEntry ParsePiece(ReadOnlySpan<byte> bytes, int index)
    {
        string? text = null;
        var score = 0f;
        var type = SentencePieceType.Normal;
        var reader = new ProtobufReader(bytes);
        while (!reader.AtEnd)
        {
            var (field, wireType) = reader.ReadKey();
            switch (field)
            {
                case ModelProtoFields.PieceTextField:
                    Expect(wireType, ProtobufReader.LengthDelimited, $"piece {index} text");
                    text = StrictUtf8.GetString(reader.ReadLengthDelimited());
                    break;
                case ModelProtoFields.PieceScoreField:
                    Expect(wireType, ProtobufReader.Fixed32, $"piece {index} score");
                    score = reader.ReadFloat();
                    break;
                case ModelProtoFields.PieceTypeField:
                    Expect(wireType, ProtobufReader.Varint, $"piece {index} type");
                    var value = reader.ReadVarint();
                    if (value is < 1 or > 6)
                    {
                        throw new FormatException($"piece {index} has unknown type {value}");
                    }

                    type = (SentencePieceType)value;
                    break;
                default:
                    reader.Skip(wireType);
                    break;
            }
        }

        if (string.IsNullOrEmpty(text))
        {
            throw new FormatException($"piece {index} has no text");
        }

        return new SentencePieceEntry(text, score, type);
    }

    private static SentencePieceModel ParseTrainerSpec(ReadOnlySpan<byte> bytes, SentencePieceModel model)
    {
        var reader = new ProtobufReader(bytes);
        while (!reader.AtEnd)
        {
            var (field, wireType) = reader.ReadKey();
            if (wireType != ProtobufReader.Varint)
            {
                reader.Skip(wireType);
                continue;
            }

            switch (field)
            {
                case ModelProtoFields.ModelTypeField:
                    var modelType = reader.ReadVarint();
                    if (modelType is < 1 or > 4)
                    {
                        throw new FormatException($"trainer_spec.model_type {modelType} is unknown");
                    }

                    model = model with { ModelType = (SentencePieceModelType)modelType };
                    break;
                case ModelProtoFields.VocabSizeField:
                    model = model with { TrainerVocabSize = reader.ReadInt32() };
                    break;
                case ModelProtoFields.TreatWhitespaceAsSuffixField:
                    model = model with { TreatWhitespaceAsSuffix = reader.ReadVarint() != 0 };
                    break;
                case ModelProtoFields.SplitDigitsField:
                    model = model with { SplitDigits = reader.ReadVarint() != 0 };
                    break;
                case ModelProtoFields.ByteFallbackField:
                    model = model with { ByteFallback = reader.ReadVarint() != 0 };
                    break;
                case ModelProtoFields.UnkIdField:
                    model = model with { UnkId = reader.ReadInt32() };
                    break;
                case ModelProtoFields.BosIdField:
                    model = model with { BosId = reader.ReadInt32() };
                    break;
                case ModelProtoFields.EosIdField:
                    model = model with { EosId = reader.ReadInt32() };
                    break;
                case ModelProtoFields.PadIdField:
                    model = model with { PadId = reader.ReadInt32() };
                    break;
                default:
                    reader.ReadVarint();
                    break;
            }
        }

        return model;
    }

    private static SentencePieceModel ParseNormalizerSpec(ReadOnlySpan<byte> bytes, SentencePieceModel model)
    {
        var reader = new ProtobufReader(bytes);
        while (!reader.AtEnd)
        {
            var (field, wireType) = reader.ReadKey();
            switch (field)
            {
                case ModelProtoFields.NormalizerNameField when wireType == ProtobufReader.LengthDelimited:
                    model = model with { NormalizerName = StrictUtf8.GetString(reader.ReadLengthDelimited()) };
                    break;
                case ModelProtoFields.AddDummyPrefixField when wireType == ProtobufReader.Varint:
                    model = model with { AddDummyPrefix = reader.ReadVarint() != 0 };
                    break;
                case ModelProtoFields.RemoveExtraWhitespacesField when wireType == ProtobufReader.Varint:
                    model = model with { RemoveExtraWhitespaces = reader.ReadVarint() != 0 };
                    break;
                case ModelProtoFields.EscapeWhitespacesField when wireType == ProtobufReader.Varint:
                    model = model with { EscapeWhitespaces = reader.ReadVarint() != 0 };
                    break;
                default:
                    reader.Skip(wireType);
                    break;
            }
        }

        return model;
    }

    private static void Expect(int wireType, int expected, string what)
    {
        if (wireType != expected)
        {
            throw new FormatException($"{what} has wire type {wireType}, expected {expected}");
        }
    }

    private static void Validate(SentencePieceModel model, string source)
    {
        if (model.Pieces.Count == 0)
        {
            throw new TokenizerException($"{source}: not a SentencePiece model: it has no pieces");
        }

        var ids = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var id = 0; id < model.Pieces.Count; id++)
        {
            var piece = model.Pieces[id];
            if (!ids.TryAdd(piece.Piece, id))
            {
                throw new TokenizerException($"{source}: piece \"{piece.Piece}\" is defined twice (ids {ids[piece.Piece]} and {id})");
            }

            if (piece.Type == SentencePieceType.Byte && !IsBytePiece(piece.Piece))
            {
                throw new TokenizerException($"{source}: byte piece {id} is spelled \"{piece.Piece}\", not <0xNN>");
            }
        }

        // Byte fallback emits id(<0x00>) + byte (sentencepiece looks each byte piece up; Microsoft.ML.Tokenizers
        // adds the byte to the id of <0x00>), so all 256 byte pieces must be there, in order, one after another.
        if (model.ByteFallback)
        {
            var first = ids.GetValueOrDefault("<0x00>", -1);
            for (var b = 0; b < 256; b++)
            {
                var id = first + b;
                if (first < 0 || id >= model.Pieces.Count || model.Pieces[id].Type != SentencePieceType.Byte
                    || model.Pieces[id].Piece != $"<0x{b:X2}>")
                {
                    throw new TokenizerException(
                        $"{source}: trainer_spec.byte_fallback is set, but the byte pieces <0x00>..<0xFF> " +
                        $"are not BYTE pieces at consecutive ids (<0x{b:X2}> expected at id {id})");
                }
            }
        }

        CheckId(model.UnkId, "trainer_spec.unk_id", allowAbsent: false);
        CheckId(model.BosId, "trainer_spec.bos_id", allowAbsent: true);
        CheckId(model.EosId, "trainer_spec.eos_id", allowAbsent: true);

        void CheckId(int id, string field, bool allowAbsent)
        {
            if ((id == -1 && allowAbsent) || (id >= 0 && id < model.Pieces.Count))
            {
                return;
            }

            throw new TokenizerException(
                $"{source}: {field} = {id} is not a piece id (the model has {model.Pieces.Count} pieces)");
        }
    }

    /// <summary>sentencepiece spells the byte pieces "&lt;0x00&gt;" to "&lt;0xFF&gt;" (two upper-case hex digits).</summary>
    internal static bool IsBytePiece(string piece) =>
        piece.Length == 6 && piece.StartsWith("<0x", StringComparison.Ordinal) && piece[5] == '>'
        && char.IsAsciiHexDigit(piece[3]) && char.IsAsciiHexDigit(piece[4]);
}
