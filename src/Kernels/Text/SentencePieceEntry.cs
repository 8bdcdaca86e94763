namespace Mining.Kernels.Text;

/// <summary>One vocabulary entry of a SentencePiece model: its text ("▁" marks a space), score and kind.</summary>
public sealed record SentencePieceEntry(string Piece, float Score, SentencePieceType Type = SentencePieceType.Normal);
