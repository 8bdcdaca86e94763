namespace Mining.Kernels.Text;

/// <summary>Turns a <see cref="PromptTemplate"/> into the token ids that surround the visual tokens.</summary>
public static class PromptBuilder
{
    /// <summary>
    /// <c>&lt;s&gt;</c> + ids(chunk before the image) and ids(chunk after the image); each chunk is encoded on its own,
    /// as LLaVA's <c>tokenizer_image_token</c> splits the prompt at "&lt;image&gt;" and encodes each piece separately.
    /// No <c>&lt;/s&gt;</c>, and no placeholder id for the image.
    /// </summary>
    public static PromptIds Build(LlamaTextTokenizer tokenizer, PromptTemplate template)
    {
        ArgumentNullException.ThrowIfNull(tokenizer);
        ArgumentNullException.ThrowIfNull(template);
        int[] prefix = [tokenizer.BosId, .. tokenizer.Encode(template.ChunkBeforeImage)];
        return new PromptIds(prefix, tokenizer.Encode(template.ChunkAfterImage));
    }
}
