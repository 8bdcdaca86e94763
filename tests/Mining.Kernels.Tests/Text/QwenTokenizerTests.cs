using Mining.Kernels.Text;

namespace Mining.Kernels.Tests.Text;

/// <summary>The byte-level BPE tokenizer against llava-ov-tiny-ref (Qwen2 conventions: its split regex, NFC, no BOS; ids from HF tokenizers).</summary>
public sealed class QwenTokenizerTests
{
    private static readonly Lazy<ByteLevelBpeTokenizer> Qwen = new(() => ByteLevelBpeTokenizer.Load(TestData.OnevisionFixtureModel));

    public static TheoryData<string> CheckTexts => new(ReferenceTokenization.Onevision.TokenizerChecks.Keys);

    [Theory]
    [MemberData(nameof(CheckTexts))]
    public void Every_tokenizer_check_encodes_to_the_reference_ids(string text)
    {
        Assert.Equal(ReferenceTokenization.Onevision.TokenizerChecks[text], Qwen.Value.Encode(text));
    }

    [Theory]
    [MemberData(nameof(CheckTexts))]
    public void Decoding_the_reference_ids_gives_the_nfc_text_back(string text)
    {
        Assert.Equal(text.Normalize(System.Text.NormalizationForm.FormC), Qwen.Value.Decode(ReferenceTokenization.Onevision.TokenizerChecks[text]));
    }

    [Fact]
    public void Special_tokens_have_the_reference_ids_and_there_is_no_bos()
    {
        var tokenizer = Qwen.Value;
        foreach (var (content, id) in ReferenceTokenization.Onevision.SpecialIds)
        {
            Assert.Equal(id, tokenizer.TokenId(content));
        }

        Assert.Null(tokenizer.BosId);
        Assert.Equal(tokenizer.Encode("Hello world"), tokenizer.EncodeWithSpecialTokens("Hello world"));
        Assert.Empty(tokenizer.DefaultSkipLeadingTokens);
    }

    [Fact]
    public void The_chatml_prompt_splits_at_the_image_into_the_reference_chunks_and_ids()
    {
        var reference = ReferenceTokenization.Onevision;
        var template = PromptTemplate.Qwen15;
        Assert.Equal(reference.Before, template.ChunkBeforeImage);
        Assert.Equal(reference.After, template.ChunkAfterImage);
        Assert.Equal(reference.FullPrompt, template.ChunkBeforeImage + "<image>" + template.ChunkAfterImage);
        var ids = PromptBuilder.Build(Qwen.Value, template);
        Assert.Equal(reference.Prefix, ids.PrefixIds);
        Assert.Equal(reference.Suffix, ids.SuffixIds);
    }
}
