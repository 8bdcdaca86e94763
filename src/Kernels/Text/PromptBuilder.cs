namespace Mining.Kernels.Text;

/// <summary>Turns a <see cref="PromptTemplate"/> into the token ids that surround the visual tokens.</summary>
public static class PromptBuilder
{
    /// <summary>
    /// The ids around the image as LLaVA's <c>tokenizer_image_token</c> computes them: the prompt is split at "&lt;image&gt;",
    /// each chunk is encoded on its own with the tokenizer's special tokens (HF's <c>tokenizer(chunk).input_ids</c>), and when
    /// the first chunk starts with the tokenizer's BOS every chunk after the first loses its first id. So LLaMA gives
    /// <c>&lt;s&gt;</c> + ids(before) and ids(after); LLaMA-3 keeps both <c>&lt;|begin_of_text|&gt;</c> of the first chunk (the
    /// template's and the tokenizer's); a tokenizer without BOS keeps every id. No placeholder id for the image.
    /// </summary>
    /// <exception cref="TokenizerException">The tokenizer lacks a special token the template's text needs.</exception>
    public static PromptIds Build(ITextTokenizer tokenizer, PromptTemplate template)
    {
        ArgumentNullException.ThrowIfNull(tokenizer);
        ArgumentNullException.ThrowIfNull(template);
        if (template.RequiredTokens.FirstOrDefault(token => tokenizer.TokenId(token) is null) is { } absent)
        {
            throw new TokenizerException($"the tokenizer has no '{absent}', which the {template.Style} prompt template needs");
        }

        var before = tokenizer.EncodeWithSpecialTokens(template.ChunkBeforeImage);
        var after = tokenizer.EncodeWithSpecialTokens(template.ChunkAfterImage);
        var offset = before.Length > 0 && before[0] == tokenizer.BosId ? 1 : 0;
        return new PromptIds(before, after[Math.Min(offset, after.Length)..]);
    }
}
