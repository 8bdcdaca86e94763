namespace Mining.Kernels.Text;

/// <summary>The token ids around the image: the model splices the visual tokens between <see cref="PrefixIds"/> and <see cref="SuffixIds"/>.</summary>
/// <param name="PrefixIds">The ids of the chunk before the image with the tokenizer's BOS (LLaMA: <c>&lt;s&gt;</c>; LLaMA-3: two <c>&lt;|begin_of_text|&gt;</c>).</param>
/// <param name="SuffixIds">The ids of the chunk after the image, encoded on its own without a BOS (LLaMA: it starts with the dummy prefix "▁").</param>
public sealed record PromptIds(int[] PrefixIds, int[] SuffixIds);
