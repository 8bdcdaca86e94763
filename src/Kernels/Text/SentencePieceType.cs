namespace Mining.Kernels.Text;

/// <summary>The kind of a vocabulary entry, with sentencepiece_model.proto's enum values (<c>ModelProto.SentencePiece.Type</c>).</summary>
public enum SentencePieceType
{
    Normal = 1,
    Unknown = 2,
    Control = 3,
    UserDefined = 4,
    Unused = 5,
    Byte = 6,
}
