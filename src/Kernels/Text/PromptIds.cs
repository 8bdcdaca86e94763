namespace Mining.Kernels.Text;

/// <summary>The token ids around the image: the model splices the visual tokens between <see cref="PrefixIds"/> and <see cref="SuffixIds"/>.</summary>
/// <param name="PrefixIds"><c>&lt;s&gt;</c> followed by the ids of the chunk before the image.</param>
/// <param name="SuffixIds">The ids of the chunk after the image, encoded on its own (it starts with the dummy prefix "▁").</param>
public sealed record PromptIds(int[] PrefixIds, int[] SuffixIds);
