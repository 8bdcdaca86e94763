namespace Mining.Kernels.Text;

/// <summary>The segmentation algorithm of a SentencePiece model, with sentencepiece_model.proto's enum values (<c>TrainerSpec.ModelType</c>).</summary>
public enum SentencePieceModelType
{
    Unigram = 1,
    Bpe = 2,
    Word = 3,
    Char = 4,
}
