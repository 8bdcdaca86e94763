using System.Globalization;

namespace Mining.Kernels.Text;

/// <summary>Writes SentencePiece <c>tokenizer.model</c> files (protobuf <c>ModelProto</c>), e.g. small LLaMA-style tokenizers for test checkpoints.</summary>
public static class SentencePieceModelWriter
{
    /// <summary>Pieces of a LLaMA vocabulary before the learned ones: &lt;unk&gt;, &lt;s&gt;, &lt;/s&gt; and the 256 byte pieces.</summary>
    public const int ReservedPieceCount = 3 + 256;

    /// <summary>The characters of the tiny vocabulary, most frequent first ("▁" is the SentencePiece space).</summary>
    private static readonly string[] TinyCharacters =
    [
        "▁",
        .. "etaoinshrdlcumwfgypbvkjxqz".Select(c => c.ToString()),
        .. "TAISWCBPHMDRNEOFGLUYJKVQXZ".Select(c => c.ToString()),
        .. "0123456789".Select(c => c.ToString()),
        ".", ",", ":", ";", "?", "!", "'", "\"", "-", "(", ")", "/",
    ];

    /// <summary>
    /// The merges of the tiny vocabulary in priority order (highest score first); each piece is the concatenation of
    /// two earlier pieces, so sentencepiece's BPE (merge the adjacent pair with the best-scoring concatenation) can
    /// reach it. English-ish, with the words of the LLaVA prompt.
    /// </summary>
    private static readonly (string Left, string Right)[] TinyMerges =
    [
        ("▁", "t"), ("h", "e"), ("▁", "a"), ("i", "n"), ("▁t", "he"), ("e", "r"), ("o", "n"), ("r", "e"),
        ("a", "n"), ("▁", "s"), ("a", "t"), ("e", "n"), ("▁", "w"), ("▁", "c"), ("i", "s"), ("i", "t"),
        ("o", "r"), ("e", "s"), ("▁", "o"), ("in", "g"), ("▁", "b"), ("▁", "f"), ("▁", "p"), ("▁", "m"),
        ("e", "d"), ("n", "d"), ("o", "u"), ("▁a", "nd"), ("▁", "h"), ("▁", "d"), ("▁", "i"), ("▁o", "f"),
        ("a", "r"), ("a", "l"), ("l", "e"), ("▁t", "o"), ("▁i", "n"), ("a", "s"), ("▁", "T"), ("▁", "A"),
        ("▁", "W"), ("▁", "I"), ("i", "on"), ("▁i", "s"), ("l", "l"), ("▁", "l"), ("▁", "H"), ("▁", "e"),
        ("▁", "n"), ("▁", "g"), ("h", "at"), ("▁t", "hat"), ("v", "e"), ("▁b", "e"), ("▁w", "h"), ("o", "w"),
        ("s", "t"), ("i", "c"), ("en", "t"), ("▁", "y"), ("▁y", "ou"), ("▁i", "t"), ("▁", "r"), ("▁", "u"),
        ("▁", "S"), ("▁", "C"), ("c", "h"), ("▁d", "o"), ("▁do", "es"), ("▁W", "hat"), ("▁t", "h"), ("▁th", "is"),
        ("▁s", "h"), ("▁sh", "ow"), ("▁w", "or"), ("▁wor", "d"), ("▁i", "m"), ("a", "g"), ("ag", "e"), ("▁im", "age"),
        ("▁s", "in"), ("g", "le"), ("▁sin", "gle"), ("▁p", "r"), ("o", "v"), ("i", "d"), ("id", "e"), ("▁pr", "ov"),
        ("▁prov", "ide"), ("▁m", "u"), ("▁mu", "st"), ("es", "t"), ("▁b", "est"), ("▁c", "h"), ("▁ch", "at"), ("u", "m"),
        ("▁h", "um"), ("▁hum", "an"), ("U", "S"), ("E", "R"), ("US", "ER"), ("▁", "USER"), ("▁a", "s"), ("▁as", "s"),
        ("i", "st"), ("▁ass", "ist"), ("an", "t"), ("▁assist", "ant"), ("▁d", "e"),
    ];

    private static readonly IReadOnlyList<string> TinyMergePieceList = TinyMergePieces();

    /// <summary>The largest vocabulary <see cref="WriteTinyLlamaTokenizer"/> can make.</summary>
    public static int MaxTinyPieceCount => ReservedPieceCount + TinyCharacters.Length + TinyMergePieceList.Count;

    /// <summary>The serialized <c>ModelProto</c>, fields in field-number order as protobuf writers emit them.</summary>
    public static byte[] ToBytes(SentencePieceModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var proto = new ProtobufWriter();
        foreach (var piece in model.Pieces)
        {
            var entry = new ProtobufWriter();
            entry.WriteStringField(ModelProtoFields.PieceTextField, piece.Piece);
            entry.WriteFloatField(ModelProtoFields.PieceScoreField, piece.Score);

            // sentencepiece's trainers leave the type unset on normal pieces (the proto default).
            if (piece.Type != SentencePieceType.Normal)
            {
                entry.WriteVarintField(ModelProtoFields.PieceTypeField, (ulong)piece.Type);
            }

            proto.WriteBytesField(ModelProtoFields.PiecesField, entry.ToArray());
        }

        var trainer = new ProtobufWriter();
        trainer.WriteVarintField(ModelProtoFields.ModelTypeField, (ulong)model.ModelType);
        trainer.WriteInt32Field(ModelProtoFields.VocabSizeField, model.Pieces.Count);
        trainer.WriteFloatField(ModelProtoFields.CharacterCoverageField, 1f);
        trainer.WriteBoolField(ModelProtoFields.SplitDigitsField, model.SplitDigits);
        trainer.WriteBoolField(ModelProtoFields.AllowWhitespaceOnlyPiecesField, true);
        trainer.WriteBoolField(ModelProtoFields.ByteFallbackField, model.ByteFallback);
        trainer.WriteInt32Field(ModelProtoFields.UnkIdField, model.UnkId);
        trainer.WriteInt32Field(ModelProtoFields.BosIdField, model.BosId);
        trainer.WriteInt32Field(ModelProtoFields.EosIdField, model.EosId);
        trainer.WriteInt32Field(ModelProtoFields.PadIdField, model.PadId);
        proto.WriteBytesField(ModelProtoFields.TrainerSpecField, trainer.ToArray());

        var normalizer = new ProtobufWriter();
        normalizer.WriteStringField(ModelProtoFields.NormalizerNameField, model.NormalizerName);
        normalizer.WriteBytesField(ModelProtoFields.PrecompiledCharsmapField, []);
        normalizer.WriteBoolField(ModelProtoFields.AddDummyPrefixField, model.AddDummyPrefix);
        normalizer.WriteBoolField(ModelProtoFields.RemoveExtraWhitespacesField, model.RemoveExtraWhitespaces);
        normalizer.WriteBoolField(ModelProtoFields.EscapeWhitespacesField, model.EscapeWhitespaces);
        proto.WriteBytesField(ModelProtoFields.NormalizerSpecField, normalizer.ToArray());

        return proto.ToArray();
    }

    /// <summary>Writes <paramref name="model"/> to <paramref name="path"/>.</summary>
    public static void Write(string path, SentencePieceModel model) => File.WriteAllBytes(path, ToBytes(model));

    /// <summary>
    /// A LLaMA-style BPE model with byte fallback and <paramref name="pieceCount"/> pieces: &lt;unk&gt; 0 (UNKNOWN),
    /// &lt;s&gt; 1 and &lt;/s&gt; 2 (CONTROL), &lt;0x00&gt;…&lt;0xFF&gt; at 3…258 (BYTE), then the merges with scores 0, −1, …
    /// and the single characters below them, as sentencepiece's BPE trainer orders a vocabulary. Identity
    /// normaliser, dummy prefix, whitespace kept, digits split — the conventions of LLaMA's tokenizer.model.
    /// </summary>
    public static SentencePieceModel CreateTinyLlamaModel(int pieceCount = 400)
    {
        if (pieceCount < ReservedPieceCount + 1 || pieceCount > MaxTinyPieceCount)
        {
            throw new ArgumentOutOfRangeException(
                nameof(pieceCount), pieceCount,
                $"pieceCount must lie in {ReservedPieceCount + 1}..{MaxTinyPieceCount} (special and byte pieces, then at least \"▁\")");
        }

        var pieces = new List<SentencePieceEntry>(pieceCount)
        {
            new("<unk>", 0f, SentencePieceType.Unknown),
            new("<s>", 0f, SentencePieceType.Control),
            new("</s>", 0f, SentencePieceType.Control),
        };
        for (var b = 0; b < 256; b++)
        {
            pieces.Add(new SentencePieceEntry($"<0x{b.ToString("X2", CultureInfo.InvariantCulture)}>", 0f, SentencePieceType.Byte));
        }

        // Characters are never dropped before merges: a merge needs its characters, and a vocabulary without a
        // character still works through byte fallback.
        var learned = pieceCount - ReservedPieceCount;
        var characterCount = Math.Min(learned, TinyCharacters.Length);
        var merges = TinyMergePieceList.Take(learned - characterCount);
        var score = 0f;
        foreach (var piece in merges.Concat(TinyCharacters.Take(characterCount)))
        {
            pieces.Add(new SentencePieceEntry(piece, score));
            score -= 1f;
        }

        return new SentencePieceModel
        {
            Pieces = pieces,
            ModelType = SentencePieceModelType.Bpe,
            ByteFallback = true,
            SplitDigits = true,
            UnkId = 0,
            BosId = 1,
            EosId = 2,
            PadId = -1,
            NormalizerName = "identity",
            AddDummyPrefix = true,
            RemoveExtraWhitespaces = false,
            EscapeWhitespaces = true,
        };
    }

    /// <summary>
    /// Writes <c>tokenizer.model</c> (<see cref="CreateTinyLlamaModel"/>) and a <c>tokenizer_config.json</c> like
    /// llava-hf's (LlamaTokenizer, legacy, &lt;s&gt; added at the start) into <paramref name="directory"/>.
    /// </summary>
    public static void WriteTinyLlamaTokenizer(string directory, int pieceCount = 400)
    {
        var model = CreateTinyLlamaModel(pieceCount);
        Directory.CreateDirectory(directory);
        Write(Path.Combine(directory, LlamaTextTokenizer.ModelFileName), model);
        File.WriteAllText(Path.Combine(directory, LlamaTextTokenizer.ConfigFileName), TinyTokenizerConfig);
    }

    private const string TinyTokenizerConfig = """
        {
          "add_bos_token": true,
          "add_eos_token": false,
          "bos_token": "<s>",
          "eos_token": "</s>",
          "unk_token": "<unk>",
          "pad_token": "<pad>",
          "legacy": true,
          "model_max_length": 1024,
          "tokenizer_class": "LlamaTokenizer",
          "padding_side": "left"
        }

        """;

    /// <summary>The merged pieces in priority order, each checked to be made of earlier pieces.</summary>
    private static List<string> TinyMergePieces()
    {
        var known = new HashSet<string>(TinyCharacters, StringComparer.Ordinal);
        var pieces = new List<string>(TinyMerges.Length);
        foreach (var (left, right) in TinyMerges)
        {
            if (!known.Contains(left) || !known.Contains(right))
            {
                throw new InvalidOperationException($"tiny merge (\"{left}\", \"{right}\") uses a piece not defined before it");
            }

            if (!known.Add(left + right))
            {
                throw new InvalidOperationException($"tiny merge (\"{left}\", \"{right}\") repeats the piece \"{left + right}\"");
            }

            pieces.Add(left + right);
        }

        return pieces;
    }
}
