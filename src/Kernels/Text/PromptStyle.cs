namespace Mining.Kernels.Text;

/// <summary>How a <see cref="PromptTemplate"/> lays out the system line, the image and the question (the reference's conversation templates).</summary>
public enum PromptStyle
{
    /// <summary>LLaVA-1.5's <c>llava_v1</c> (Vicuna): system + " USER: " + image + "\n" + question + " ASSISTANT:".</summary>
    LlavaV1,

    /// <summary>LLaVA-NeXT's <c>llava_llama_3</c>, rendered with Meta-Llama-3-Instruct's chat template (header ids, <c>&lt;|eot_id|&gt;</c>).</summary>
    LlavaLlama3,

    /// <summary>LLaVA-OneVision's <c>qwen_1_5</c> (ChatML): system turn, user turn with the image and question, then the assistant header.</summary>
    Qwen15,
}
