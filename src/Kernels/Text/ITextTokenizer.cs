namespace Mining.Kernels.Text;

/// <summary>The text tokenizer of a checkpoint, whatever its family: LLaMA's SentencePiece or byte-level BPE from <c>tokenizer.json</c>.</summary>
/// <remarks>
/// The prompt (<see cref="PromptBuilder"/>), the engine's leading-token rule and the printing of top tokens go through this
/// seam only, so they stay family-agnostic (MODELS.md, "Model families").
/// </remarks>
public interface ITextTokenizer
{
    /// <summary>Loads the tokenizer files of <paramref name="family"/> from a checkpoint folder (<c>tokenizer.model</c> or <c>tokenizer.json</c>).</summary>
    /// <exception cref="TokenizerException">The file is missing or malformed; the message names it.</exception>
    static ITextTokenizer Load(string modelDirectory, TokenizerFamily family) => family switch
    {
        TokenizerFamily.SentencePiece => LlamaTextTokenizer.Load(modelDirectory),
        TokenizerFamily.ByteLevelBpe => ByteLevelBpeTokenizer.Load(modelDirectory),
        _ => throw new ArgumentOutOfRangeException(nameof(family), family, "unknown tokenizer family"),
    };

    /// <summary>Which tokenizer family this is.</summary>
    TokenizerFamily Family { get; }

    /// <summary>The id of the tokenizer's <c>bos_token</c>, or null when it has none (Qwen2).</summary>
    int? BosId { get; }

    /// <summary>The id of the tokenizer's <c>eos_token</c>, or null when it has none.</summary>
    int? EosId { get; }

    /// <summary>
    /// The leading answer tokens the reference's caption script skips for this family (MODELS.md, "The measured logits"):
    /// SentencePiece LLaMA's "▁A"; none for byte-level BPE, where the reference's comparison with "▁A" never matches.
    /// </summary>
    IReadOnlyList<string> DefaultSkipLeadingTokens { get; }

    /// <summary>The one rule behind every <see cref="DefaultSkipLeadingTokens"/> (and a family's default): "▁A" for SentencePiece, none otherwise.</summary>
    static IReadOnlyList<string> DefaultSkipLeadingTokensOf(TokenizerFamily family) =>
        family == TokenizerFamily.SentencePiece ? [LlamaTextTokenizer.LeadingAnswerPiece] : [];

    /// <summary>The ids of <paramref name="text"/> without any special token added (HF's <c>add_special_tokens=False</c>).</summary>
    int[] Encode(string text);

    /// <summary>The ids of <paramref name="text"/> as HF's <c>tokenizer(text).input_ids</c> gives them: with the tokenizer's own BOS/EOS.</summary>
    int[] EncodeWithSpecialTokens(string text);

    /// <summary>The id of one token spelled as the vocabulary spells it ("▁A", "ĠA", "&lt;|eot_id|&gt;"), or null when the vocabulary has no such token.</summary>
    int? TokenId(string token);

    /// <summary>The raw vocabulary string of an id; an added token's text; "&lt;id N&gt;" for an id the tokenizer does not know.</summary>
    string IdToPiece(int id);

    /// <summary>The text of one id (for printing top tokens).</summary>
    string Decode(int id);

    /// <summary>The text of a sequence of ids.</summary>
    string Decode(IReadOnlyList<int> ids);
}
