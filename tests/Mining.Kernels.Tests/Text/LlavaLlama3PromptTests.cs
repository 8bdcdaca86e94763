using Mining.Kernels.Text;

namespace Mining.Kernels.Tests.Text;

/// <summary>LLaVA-NeXT's <c>llava_llama_3</c> prompt against llava-next-tiny-ref (the reference's <c>tokenizer_image_token</c> with a BOS-adding tokenizer).</summary>
public sealed class LlavaLlama3PromptTests
{
    private static readonly Lazy<PromptIds> NextPrompt = new(
        () => PromptBuilder.Build(ByteLevelBpeTokenizer.Load(TestData.NextFixtureModel), PromptTemplate.LlavaLlama3));

    [Fact]
    public void The_template_chunks_are_the_reference_prompt_strings()
    {
        var reference = ReferenceTokenization.Next;
        Assert.Equal((reference.Before, reference.After), (PromptTemplate.LlavaLlama3.ChunkBeforeImage, PromptTemplate.LlavaLlama3.ChunkAfterImage));
        Assert.Equal(reference.FullPrompt, PromptTemplate.LlavaLlama3.ChunkBeforeImage + "<image>" + PromptTemplate.LlavaLlama3.ChunkAfterImage);
    }

    [Fact]
    public void Prefix_ids_equal_the_reference_prefix_ids()
    {
        Assert.Equal(ReferenceTokenization.Next.Prefix, NextPrompt.Value.PrefixIds);
    }

    [Fact]
    public void Suffix_ids_equal_the_reference_suffix_ids()
    {
        Assert.Equal(ReferenceTokenization.Next.Suffix, NextPrompt.Value.SuffixIds);
    }

    [Fact]
    public void The_prefix_starts_with_two_begin_of_text_ids_and_the_suffix_with_none()
    {
        var prompt = NextPrompt.Value;
        Assert.Equal([636, 636, 642], prompt.PrefixIds[..3]);
        Assert.DoesNotContain(636, prompt.SuffixIds);
        Assert.Equal([643, 198, 198], prompt.SuffixIds[^3..]);
    }

    [Fact]
    public void The_template_trims_the_question_as_the_chat_template_trims_the_user_turn()
    {
        var padded = PromptTemplate.LlavaLlama3 with { Question = "Is it a cat?  \n" };
        Assert.StartsWith("\nIs it a cat?<|eot_id|>", padded.ChunkAfterImage, StringComparison.Ordinal);
    }

    [Fact]
    public void A_tokenizer_without_the_llama3_header_tokens_cannot_build_the_llama3_prompt()
    {
        var e = Assert.Throws<TokenizerException>(() => PromptBuilder.Build(LlamaTextTokenizer.Load(TestData.FixtureModel), PromptTemplate.LlavaLlama3));
        Assert.Contains("<|begin_of_text|>", e.Message);
    }
}
