namespace Mining.Kernels.Text;

/// <summary>Field numbers of sentencepiece_model.proto (google/sentencepiece src/sentencepiece_model.proto).</summary>
internal static class ModelProtoFields
{
    // ModelProto fields.
    public const int PiecesField = 1;
    public const int TrainerSpecField = 2;
    public const int NormalizerSpecField = 3;

    // ModelProto.SentencePiece fields.
    public const int PieceTextField = 1;
    public const int PieceScoreField = 2;
    public const int PieceTypeField = 3;

    // TrainerSpec fields.
    public const int ModelTypeField = 3;
    public const int VocabSizeField = 4;
    public const int CharacterCoverageField = 10;
    public const int TreatWhitespaceAsSuffixField = 24;
    public const int SplitDigitsField = 25;
    public const int AllowWhitespaceOnlyPiecesField = 26;
    public const int ByteFallbackField = 35;
    public const int UnkIdField = 40;
    public const int BosIdField = 41;
    public const int EosIdField = 42;
    public const int PadIdField = 43;

    // NormalizerSpec fields.
    public const int NormalizerNameField = 1;
    public const int PrecompiledCharsmapField = 2;
    public const int AddDummyPrefixField = 3;
    public const int RemoveExtraWhitespacesField = 4;
    public const int EscapeWhitespacesField = 5;
}
