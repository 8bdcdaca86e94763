namespace Mining.Kernels.Text;

/// <summary>A single-turn chat prompt around the image: the system line and the question (ARCHITECTURE.md §1, "Prompt").</summary>
/// <remarks>The layout is LLaVA-1.5's <c>llava_v1</c> conversation: system + " USER: " + image + "\n" + question +
/// " ASSISTANT:" (haotian-liu/LLaVA llava/conversation.py, <c>conv_vicuna_v1</c>, SeparatorStyle.TWO).</remarks>
public sealed record PromptTemplate(string SystemLine, string Question)
{
    public const string Llava15SystemLine =
        "A chat between a curious human and an artificial intelligence assistant. " +
        "The assistant gives helpful, detailed, and polite answers to the human's questions.";

    /// <summary>The question the reference implementation mined LLaVA-1.5 with.</summary>
    public const string DefaultQuestion =
        "What does this image show? You must provide a single word that best describes the image.";

    /// <summary>LLaVA-1.5's system line with <see cref="DefaultQuestion"/>.</summary>
    public static PromptTemplate Llava15 { get; } = new(Llava15SystemLine, DefaultQuestion);

    /// <summary>The text before the visual tokens.</summary>
    public string ChunkBeforeImage => SystemLine + " USER: ";

    /// <summary>The text after the visual tokens; the answer's first token follows it.</summary>
    public string ChunkAfterImage => "\n" + Question + " ASSISTANT:";
}
