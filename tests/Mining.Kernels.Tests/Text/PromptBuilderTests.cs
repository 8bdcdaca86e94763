using Mining.Kernels.Text;

namespace Mining.Kernels.Tests.Text;

public sealed class PromptBuilderTests
{
    private static readonly Lazy<PromptIds> Llava15Prompt = new(
        () => PromptBuilder.Build(LlamaTextTokenizer.Load(TestData.FixtureModel), PromptTemplate.Llava15));

    [Fact]
    public void Llava15_template_chunks_are_the_reference_prompt_strings()
    {
        Assert.Equal(
            (ReferenceTokenization.ChunkBeforeImage, ReferenceTokenization.ChunkAfterImage),
            (PromptTemplate.Llava15.ChunkBeforeImage, PromptTemplate.Llava15.ChunkAfterImage));
    }

    [Fact]
    public void Prefix_ids_equal_the_reference_prefix_ids()
    {
        Assert.Equal(ReferenceTokenization.PrefixIds, Llava15Prompt.Value.PrefixIds);
    }

    [Fact]
    public void Suffix_ids_equal_the_reference_suffix_ids()
    {
        Assert.Equal(ReferenceTokenization.SuffixIds, Llava15Prompt.Value.SuffixIds);
    }

    [Fact]
    public void Suffix_starts_with_the_space_piece_then_the_newline_byte()
    {
        // 343 is the fixture's "▁" piece, 13 its <0x0A> byte piece (3 + 0x0A).
        Assert.Equal([343, 13], Llava15Prompt.Value.SuffixIds[..2]);
    }

    [Fact]
    public void Only_the_prefix_starts_with_bos_and_neither_ends_with_eos()
    {
        var prompt = Llava15Prompt.Value;
        Assert.Equal(1, prompt.PrefixIds[0]);
        Assert.DoesNotContain(1, prompt.PrefixIds[1..].Concat(prompt.SuffixIds));
        Assert.DoesNotContain(2, prompt.PrefixIds.Concat(prompt.SuffixIds));
    }

    [Fact]
    public void A_custom_question_changes_only_the_suffix()
    {
        var tokenizer = LlamaTextTokenizer.Load(TestData.FixtureModel);
        var prompt = PromptBuilder.Build(tokenizer, PromptTemplate.Llava15 with { Question = "Is it a cat?" });
        Assert.Equal(ReferenceTokenization.PrefixIds, prompt.PrefixIds);
        Assert.Equal("\nIs it a cat? ASSISTANT:", tokenizer.Decode(prompt.SuffixIds));
    }
}
