using System.Text.Json.Nodes;
using Mining.Kernels.Text;

namespace Mining.Kernels.Tests.Text;

/// <summary>The byte-level BPE tokenizer against llava-next-tiny-ref (LLaMA-3 conventions, ids from HF tokenizers).</summary>
public sealed class ByteLevelBpeTokenizerTests
{
    private static readonly Lazy<ByteLevelBpeTokenizer> Next = new(() => ByteLevelBpeTokenizer.Load(TestData.NextFixtureModel));

    public static TheoryData<string> CheckTexts => new(ReferenceTokenization.Next.TokenizerChecks.Keys);

    [Theory]
    [MemberData(nameof(CheckTexts))]
    public void Every_tokenizer_check_encodes_to_the_reference_ids(string text)
    {
        Assert.Equal(ReferenceTokenization.Next.TokenizerChecks[text], Next.Value.Encode(text));
    }

    [Theory]
    [MemberData(nameof(CheckTexts))]
    public void Decoding_the_reference_ids_gives_the_text_back(string text)
    {
        Assert.Equal(text, Next.Value.Decode(ReferenceTokenization.Next.TokenizerChecks[text]));
    }

    [Fact]
    public void Special_tokens_have_the_reference_ids_and_the_config_names_bos_and_eos()
    {
        var tokenizer = Next.Value;
        foreach (var (content, id) in ReferenceTokenization.Next.SpecialIds)
        {
            Assert.Equal(id, tokenizer.TokenId(content));
            Assert.Equal(content, tokenizer.IdToPiece(id));
        }

        Assert.Equal(636, tokenizer.BosId);
        Assert.Equal(645, tokenizer.EosId);
    }

    [Fact]
    public void The_post_processor_prepends_begin_of_text_and_appends_nothing()
    {
        var tokenizer = Next.Value;
        Assert.Equal([636, .. tokenizer.Encode("Hello world")], tokenizer.EncodeWithSpecialTokens("Hello world"));
        Assert.Equal([636], tokenizer.EncodeWithSpecialTokens(""));
    }

    [Fact]
    public void Token_lookup_uses_the_byte_alphabet_spelling_and_knows_no_sentencepiece_pieces()
    {
        var tokenizer = Next.Value;
        Assert.Equal(220, tokenizer.TokenId("Ġ")); // the space byte
        Assert.Equal(0, tokenizer.TokenId("!"));
        Assert.Null(tokenizer.TokenId("▁A"));
        Assert.Null(tokenizer.TokenId("<s>"));
        Assert.Equal("<id 700>", tokenizer.IdToPiece(700));
    }

    [Fact]
    public void The_family_skips_no_leading_answer_token_by_default()
    {
        Assert.Equal(TokenizerFamily.ByteLevelBpe, Next.Value.Family);
        Assert.Empty(Next.Value.DefaultSkipLeadingTokens);
    }

    [Fact]
    public void The_llama3_tokenizer_ignores_merges_for_a_piece_in_the_vocabulary()
    {
        Assert.True(Next.Value.IgnoreMerges);
    }

    [Fact]
    public void With_ignore_merges_a_piece_in_the_vocabulary_is_one_id_even_when_no_merge_reaches_it()
    {
        // "xyz" is in the vocabulary but the only merge builds "yz": merging gives x + yz, ignore_merges the whole piece.
        var merged = HandMade(ignoreMerges: false).Encode("xyz");
        var whole = HandMade(ignoreMerges: true).Encode("xyz");
        Assert.Equal([(int)'x' - 33, 256], merged);
        Assert.Equal([257], whole);
    }

    [Fact]
    public void Added_tokens_are_split_out_before_the_regex_leftmost_then_longest()
    {
        var tokenizer = Next.Value;
        Assert.Equal([642, 643], tokenizer.Encode("<|start_header_id|><|end_header_id|>"));
        Assert.Equal([.. tokenizer.Encode("a"), 645, .. tokenizer.Encode("b")], tokenizer.Encode("a<|eot_id|>b"));
    }

    [Fact]
    public void A_missing_tokenizer_json_is_named()
    {
        var folder = TestData.NewTempFolder();
        var e = Assert.Throws<TokenizerException>(() => ByteLevelBpeTokenizer.Load(folder));
        Assert.Contains(Path.Combine(folder, "tokenizer.json"), e.Message);
        Assert.Contains("missing", e.Message);
    }

    [Theory]
    [InlineData("normalizer", """{"type": "Lowercase"}""", "normalizer")]
    [InlineData("model", """{"type": "WordPiece", "vocab": {}}""", "model.type")]
    [InlineData("pre_tokenizer", """{"type": "Whitespace"}""", "pre_tokenizer")]
    public void A_step_mining_does_not_implement_is_refused_naming_file_and_field(string field, string json, string named)
    {
        var folder = TestData.NewTempFolder();
        var document = JsonNode.Parse(File.ReadAllText(Path.Combine(TestData.NextFixtureModel, "tokenizer.json")))!;
        document[field] = JsonNode.Parse(json);
        var path = Path.Combine(folder, "tokenizer.json");
        File.WriteAllText(path, document.ToJsonString());

        var e = Assert.Throws<TokenizerException>(() => ByteLevelBpeTokenizer.Load(folder));

        Assert.Contains(path, e.Message);
        Assert.Contains($"'{named}'", e.Message);
    }

    /// <summary>A tokenizer.json with GPT-2's 256 byte symbols at ids 0…255 (the alphabet order), "yz" = 256 and "xyz" = 257, one merge "y z".</summary>
    private static ByteLevelBpeTokenizer HandMade(bool ignoreMerges)
    {
        var vocab = new JsonObject();
        var symbols = ByteLevelAlphabet.Encode(System.Text.Encoding.Latin1.GetString([.. Enumerable.Range(0, 256).Select(b => (byte)b)]));
        // GPT-2's order is the symbols' code order: printable bytes stand for themselves, the rest follow from U+0100.
        var order = symbols.Select(c => c.ToString()).Order(StringComparer.Ordinal);
        var id = 0;
        foreach (var symbol in order)
        {
            vocab[symbol] = id++;
        }

        vocab["yz"] = 256;
        vocab["xyz"] = 257;
        var json = new JsonObject
        {
            ["normalizer"] = null,
            ["pre_tokenizer"] = JsonNode.Parse("""{"type": "ByteLevel", "add_prefix_space": false, "use_regex": true}"""),
            ["post_processor"] = null,
            ["added_tokens"] = new JsonArray(),
            ["model"] = new JsonObject
            {
                ["type"] = "BPE",
                ["ignore_merges"] = ignoreMerges,
                ["vocab"] = vocab,
                ["merges"] = new JsonArray("y z"),
            },
        };
        var folder = TestData.NewTempFolder();
        File.WriteAllText(Path.Combine(folder, "tokenizer.json"), json.ToJsonString());
        return ByteLevelBpeTokenizer.Load(folder);
    }
}
