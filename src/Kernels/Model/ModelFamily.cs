using Mining.Kernels.Checkpoints;
using Mining.Kernels.Text;

namespace Mining.Kernels.Model;

/// <summary>
/// A LLaVA family: which tokenizer and which prompt template a checkpoint uses, chosen from <c>config.json</c>'s
/// <c>model_type</c> (MODELS.md, "Model families"). The vision tower, projector, language model, view and experiments are
/// shared; the family only selects the seams that differ.
/// </summary>
/// <param name="Name">The family's short name: "llava" (LLaVA-1.5), "onevision" (LLaVA-OneVision with Qwen2) or "next" (LLaVA-NeXT with LLaMA-3).</param>
/// <param name="Tokenizer">The tokenizer files the family reads.</param>
/// <param name="Prompt">The reference's conversation template for the family.</param>
public sealed record ModelFamily(string Name, TokenizerFamily Tokenizer, PromptStyle Prompt)
{
    /// <summary>LLaVA-1.5: CLIP + Vicuna, SentencePiece <c>tokenizer.model</c>, <c>llava_v1</c>.</summary>
    public static ModelFamily Llava { get; } = new("llava", TokenizerFamily.SentencePiece, PromptStyle.LlavaV1);

    /// <summary>LLaVA-NeXT (llama3-llava-next-8b): CLIP-336 + LLaMA-3, byte-level BPE <c>tokenizer.json</c>, <c>llava_llama_3</c>.</summary>
    public static ModelFamily Next { get; } = new("next", TokenizerFamily.ByteLevelBpe, PromptStyle.LlavaLlama3);

    /// <summary>LLaVA-OneVision (llava-onevision-qwen2-*): SigLIP + Qwen2, byte-level BPE <c>tokenizer.json</c>, <c>qwen_1_5</c> (ChatML).</summary>
    public static ModelFamily Onevision { get; } = new("onevision", TokenizerFamily.ByteLevelBpe, PromptStyle.Qwen15);

    /// <summary>Every family, in the order the docs list them.</summary>
    public static IReadOnlyList<ModelFamily> All { get; } = [Llava, Onevision, Next];

    /// <summary>The default prompt of the family (its reference system line and the mining question).</summary>
    public PromptTemplate Template => PromptTemplate.Of(Prompt);

    /// <summary>The family named <paramref name="name"/> ("llava", "onevision" or "next", ignoring case), or null.</summary>
    public static ModelFamily? Named(string name) =>
        All.FirstOrDefault(f => string.Equals(f.Name, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>The family of the checkpoint in <paramref name="modelDirectory"/>, or null when its config.json cannot be read (the caller's own checks name that problem).</summary>
    public static ModelFamily? TryOf(string modelDirectory)
    {
        try
        {
            return Of(LlavaConfig.Load(CheckpointFiles.Locate(modelDirectory).Config));
        }
        catch (Exception e) when (e is CheckpointException or IOException or UnauthorizedAccessException or ArgumentException or InvalidDataException or System.Text.Json.JsonException)
        {
            return null;
        }
    }

    /// <summary>The family of a loaded config (its <c>model_type</c>).</summary>
    public static ModelFamily Of(LlavaConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return config.ModelType switch
        {
            LlavaConfig.LlavaModelType => Llava,
            LlavaConfig.NextModelType => Next,
            LlavaConfig.OnevisionModelType => Onevision,
            _ => throw new ArgumentException($"model_type '{config.ModelType}' has no Mining family", nameof(config)),
        };
    }
}
