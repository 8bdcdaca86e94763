namespace Mining.Kernels.Text;

/// <summary>A single-turn chat prompt around the image: the system line and the question, laid out in a <see cref="PromptStyle"/> (ARCHITECTURE.md §1, "Prompt").</summary>
/// <remarks>
/// <see cref="PromptStyle.LlavaV1"/> is LLaVA-1.5's conversation: system + " USER: " + image + "\n" + question +
/// " ASSISTANT:" (haotian-liu/LLaVA llava/conversation.py, <c>conv_vicuna_v1</c>, SeparatorStyle.TWO).
/// <see cref="PromptStyle.LlavaLlama3"/> is LLaVA-NeXT's <c>conv_llava_llama_3</c> rendered with Meta-Llama-3-Instruct's
/// chat template: <c>bos_token</c>, then per message a header, the trimmed content and <c>&lt;|eot_id|&gt;</c>, then the
/// assistant header (MODELS.md, "LLaVA-NeXT"). The template's own <c>&lt;|begin_of_text|&gt;</c> is text; the tokenizer adds
/// a second one, as the reference computed.
/// <see cref="PromptStyle.Qwen15"/> is LLaVA-OneVision's <c>qwen_1_5</c> (<c>conv_qwen</c>, SeparatorStyle.CHATML):
/// <c>&lt;|im_start|&gt;system\n</c> + system + <c>&lt;|im_end|&gt;\n&lt;|im_start|&gt;user\n</c> + image + "\n" + question +
/// <c>&lt;|im_end|&gt;\n&lt;|im_start|&gt;assistant\n</c> (MODELS.md, "LLaVA-OneVision").
/// </remarks>
public sealed record PromptTemplate(string SystemLine, string Question)
{
    public const string Llava15SystemLine =
        "A chat between a curious human and an artificial intelligence assistant. " +
        "The assistant gives helpful, detailed, and polite answers to the human's questions.";

    /// <summary>The system line of the reference's <c>conv_llava_llama_3</c>.</summary>
    public const string LlavaLlama3SystemLine =
        "You are a helpful language and vision assistant. You are able to understand the visual content that the user provides, " +
        "and assist the user with a variety of tasks using natural language.";

    /// <summary>The system line of the reference's <c>qwen_1_5</c> (ChatML) conversation.</summary>
    public const string Qwen15SystemLine = "You are a helpful assistant.";

    /// <summary>The question the reference implementation mined LLaVA-1.5 with.</summary>
    public const string DefaultQuestion =
        "What does this image show? You must provide a single word that best describes the image.";

    private const string Llama3Bos = "<|begin_of_text|>";
    private const string Llama3EndOfTurn = "<|eot_id|>";

    private const string ChatMlStart = "<|im_start|>";

    private const string ChatMlEnd = "<|im_end|>";

    /// <summary>LLaVA-1.5's system line with <see cref="DefaultQuestion"/>.</summary>
    public static PromptTemplate Llava15 { get; } = new(Llava15SystemLine, DefaultQuestion);

    /// <summary>LLaVA-NeXT (LLaMA-3)'s <c>llava_llama_3</c> with <see cref="DefaultQuestion"/>.</summary>
    public static PromptTemplate LlavaLlama3 { get; } = new(LlavaLlama3SystemLine, DefaultQuestion) { Style = PromptStyle.LlavaLlama3 };

    /// <summary>LLaVA-OneVision (Qwen2)'s <c>qwen_1_5</c> with <see cref="DefaultQuestion"/>.</summary>
    public static PromptTemplate Qwen15 { get; } = new(Qwen15SystemLine, DefaultQuestion) { Style = PromptStyle.Qwen15 };

    /// <summary>The layout; <see cref="PromptStyle.LlavaV1"/> unless set.</summary>
    public PromptStyle Style { get; init; } = PromptStyle.LlavaV1;

    /// <summary>The special tokens the style's text relies on: a tokenizer without them cannot encode this prompt as the reference does.</summary>
    public IReadOnlyList<string> RequiredTokens => Style switch
    {
        PromptStyle.LlavaLlama3 => [Llama3Bos, "<|start_header_id|>", "<|end_header_id|>", Llama3EndOfTurn],
        PromptStyle.Qwen15 => [ChatMlStart, ChatMlEnd],
        _ => [],
    };

    /// <summary>The text before the visual tokens.</summary>
    public string ChunkBeforeImage => Style switch
    {
        PromptStyle.LlavaLlama3 => Llama3Bos + Llama3Header("system") + SystemLine.Trim() + Llama3EndOfTurn + Llama3Header("user"),
        PromptStyle.Qwen15 => ChatMlStart + "system\n" + SystemLine + ChatMlEnd + "\n" + ChatMlStart + "user\n",
        _ => SystemLine + " USER: ",
    };

    /// <summary>The text after the visual tokens; the answer's first token follows it.</summary>
    public string ChunkAfterImage => Style switch
    {
        // The user turn is "<image>\n" + question, trimmed as a whole: only the question's end can lose whitespace.
        PromptStyle.LlavaLlama3 => "\n" + Question.TrimEnd() + Llama3EndOfTurn + Llama3Header("assistant"),
        PromptStyle.Qwen15 => "\n" + Question + ChatMlEnd + "\n" + ChatMlStart + "assistant\n",
        _ => "\n" + Question + " ASSISTANT:",
    };

    /// <summary>The default template of a style (its reference system line, <see cref="DefaultQuestion"/>).</summary>
    public static PromptTemplate Of(PromptStyle style) => style switch
    {
        PromptStyle.LlavaV1 => Llava15,
        PromptStyle.LlavaLlama3 => LlavaLlama3,
        PromptStyle.Qwen15 => Qwen15,
        _ => throw new ArgumentOutOfRangeException(nameof(style), style, "unknown prompt style"),
    };

    private static string Llama3Header(string role) => "<|start_header_id|>" + role + "<|end_header_id|>\n\n";
}
