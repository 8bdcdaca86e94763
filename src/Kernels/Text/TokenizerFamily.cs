namespace Mining.Kernels.Text;

/// <summary>The tokenizer families Mining reads (MODELS.md).</summary>
public enum TokenizerFamily
{
    /// <summary>LLaMA's SentencePiece BPE, <c>tokenizer.model</c> (LLaVA-1.5).</summary>
    SentencePiece,

    /// <summary>GPT-2-style byte-level BPE from a Hugging Face <c>tokenizer.json</c> (LLaMA-3, Qwen2).</summary>
    ByteLevelBpe,
}
