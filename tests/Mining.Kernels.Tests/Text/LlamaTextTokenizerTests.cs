using Mining.Kernels.Text;

namespace Mining.Kernels.Tests.Text;

public sealed class LlamaTextTokenizerTests
{
    private static readonly Lazy<LlamaTextTokenizer> Fixture = new(() => LlamaTextTokenizer.Load(TestData.FixtureModel));

    public static TheoryData<string> CheckTexts => new(ReferenceTokenization.Checks.Keys);

    [Fact]
    public void The_fixture_has_the_six_tokenizer_checks()
    {
        Assert.Equal(6, ReferenceTokenization.Checks.Count);
    }

    [Theory]
    [MemberData(nameof(CheckTexts))]
    public void Each_tokenizer_check_encodes_to_the_reference_ids(string text)
    {
        Assert.Equal(ReferenceTokenization.Checks[text], Fixture.Value.Encode(text));
    }

    [Theory]
    [MemberData(nameof(CheckTexts))]
    public void Reference_ids_decode_back_to_the_check_text(string text)
    {
        Assert.Equal(text, Fixture.Value.Decode(ReferenceTokenization.Checks[text]));
    }

    [Fact]
    public void Special_ids_and_vocabulary_size_follow_llama_conventions()
    {
        var tokenizer = Fixture.Value;
        Assert.Equal((0, 1, 2, 400), (tokenizer.UnkId, tokenizer.BosId, tokenizer.EosId, tokenizer.VocabularySize));
    }

    [Fact]
    public void Id_to_piece_returns_every_piece_of_the_model_file()
    {
        var pieces = PlainProtobufFields.Pieces(File.ReadAllBytes(Path.Combine(TestData.FixtureModel, "tokenizer.model")));
        Assert.Equal(pieces.Select(p => p.Piece), Enumerable.Range(0, pieces.Count).Select(Fixture.Value.IdToPiece));
    }

    [Fact]
    public void Empty_text_encodes_to_no_ids()
    {
        Assert.Empty(Fixture.Value.Encode(""));
    }

    [Theory]
    [InlineData(400)]
    [InlineData(401)]
    [InlineData(32000)]
    public void Added_token_ids_above_the_vocabulary_decode_without_crashing(int id)
    {
        var expected = $"<id {id}>";
        Assert.Equal((expected, expected), (Fixture.Value.Decode(id), Fixture.Value.IdToPiece(id)));
    }

    [Fact]
    public void Added_tokens_named_in_the_config_decode_to_their_content()
    {
        var folder = CopyOfFixtureTokenizer();
        File.WriteAllText(
            Path.Combine(folder, "tokenizer_config.json"),
            """{"bos_token": {"content": "<s>"}, "added_tokens_decoder": {"400": {"content": "<image>"}, "401": {"content": "<pad>"}}}""");
        var tokenizer = LlamaTextTokenizer.Load(folder);
        Assert.Equal(("<image>", "<pad>"), (tokenizer.Decode(400), tokenizer.IdToPiece(401)));
    }

    [Fact]
    public void Single_ids_decode_to_their_surface_text()
    {
        // Fixture pieces: 296 "▁The", 13 "<0x0A>", 1 "<s>"; a single word loses the dummy-prefix space.
        Assert.Equal(("The", "\n", "<s>"), (Fixture.Value.Decode(296), Fixture.Value.Decode(13), Fixture.Value.Decode(1)));
    }

    [Fact]
    public void Missing_tokenizer_model_error_names_the_file_and_says_it_is_missing()
    {
        var folder = TestData.NewTempFolder();
        var error = Assert.Throws<TokenizerException>(() => LlamaTextTokenizer.Load(folder));
        Assert.Contains(Path.Combine(folder, "tokenizer.model"), error.Message);
        Assert.Contains("missing", error.Message);
    }

    [Fact]
    public void A_folder_with_only_tokenizer_json_is_refused_saying_only_tokenizer_model_is_supported()
    {
        var folder = TestData.NewTempFolder();
        File.WriteAllText(Path.Combine(folder, "tokenizer.json"), """{"model": {"type": "BPE"}}""");
        var error = Assert.Throws<TokenizerException>(() => LlamaTextTokenizer.Load(folder));
        Assert.Contains("tokenizer.json", error.Message);
        Assert.Contains("only the SentencePiece tokenizer.model is supported", error.Message);
    }

    public static TheoryData<string> NotSentencePieceContents => new("random", "json", "empty", "truncated");

    [Theory]
    [MemberData(nameof(NotSentencePieceContents))]
    public void A_file_that_is_not_a_sentencepiece_model_is_refused_naming_the_file(string content)
    {
        var folder = TestData.NewTempFolder();
        var path = Path.Combine(folder, "tokenizer.model");
        var model = File.ReadAllBytes(Path.Combine(TestData.FixtureModel, "tokenizer.model"));
        File.WriteAllBytes(path, content switch
        {
            "random" => RandomBytes(4096),
            "json" => """{"model": {"type": "BPE", "vocab": {"a": 0}}}"""u8.ToArray(),
            "empty" => [],
            _ => model[..(model.Length / 2)],
        });

        var error = Assert.Throws<TokenizerException>(() => LlamaTextTokenizer.Load(folder));
        Assert.Contains(path, error.Message);
        Assert.Contains("not a SentencePiece model", error.Message);
    }

    [Fact]
    public void A_special_token_name_missing_from_the_vocabulary_is_refused_naming_the_config()
    {
        var folder = CopyOfFixtureTokenizer();
        var config = Path.Combine(folder, "tokenizer_config.json");
        File.WriteAllText(config, """{"bos_token": "<bos>"}""");
        var error = Assert.Throws<TokenizerException>(() => LlamaTextTokenizer.Load(folder));
        Assert.Contains(config, error.Message);
        Assert.Contains("bos_token", error.Message);
    }

    [Fact]
    public void A_model_that_defines_a_piece_twice_is_refused_naming_the_file()
    {
        var model = SentencePieceModelWriter.CreateTinyLlamaModel();
        var path = WriteModel(model with { Pieces = [.. model.Pieces, new SentencePieceEntry("▁the", -500f)] });
        var error = Assert.Throws<TokenizerException>(() => LlamaTextTokenizer.Load(Path.GetDirectoryName(path)!));
        Assert.Contains(path, error.Message);
        Assert.Contains("\"▁the\" is defined twice", error.Message);
    }

    [Fact]
    public void Byte_fallback_without_the_256_byte_pieces_is_refused_naming_the_file()
    {
        // Microsoft.ML.Tokenizers would silently emit raw byte values as ids for such a model.
        var model = SentencePieceModelWriter.CreateTinyLlamaModel();
        var path = WriteModel(model with { Pieces = [.. model.Pieces.Where(p => p.Piece != "<0x80>")] });
        var error = Assert.Throws<TokenizerException>(() => LlamaTextTokenizer.Load(Path.GetDirectoryName(path)!));
        Assert.Contains(path, error.Message);
        Assert.Contains("byte_fallback", error.Message);
    }

    private static string WriteModel(SentencePieceModel model)
    {
        var path = Path.Combine(TestData.NewTempFolder(), "tokenizer.model");
        SentencePieceModelWriter.Write(path, model);
        return path;
    }

    [Fact]
    public void Token_lookup_finds_every_piece_by_its_spelling_and_nothing_else()
    {
        var tokenizer = LlamaTextTokenizer.Load(TestData.FixtureModel);
        for (var id = 0; id < tokenizer.VocabularySize; id++)
        {
            Assert.Equal(id, tokenizer.TokenId(tokenizer.IdToPiece(id)));
        }

        Assert.Null(tokenizer.TokenId("<|begin_of_text|>"));
    }

    [Fact]
    public void The_sentencepiece_family_skips_the_leading_A_piece_by_default_and_adds_bos()
    {
        ITextTokenizer tokenizer = LlamaTextTokenizer.Load(TestData.FixtureModel);
        Assert.Equal(TokenizerFamily.SentencePiece, tokenizer.Family);
        Assert.Equal(["▁A"], tokenizer.DefaultSkipLeadingTokens);
        Assert.Equal([1, .. tokenizer.Encode("Hello")], tokenizer.EncodeWithSpecialTokens("Hello"));
    }

    private static string CopyOfFixtureTokenizer()
    {
        var folder = TestData.NewTempFolder();
        File.Copy(Path.Combine(TestData.FixtureModel, "tokenizer.model"), Path.Combine(folder, "tokenizer.model"));
        return folder;
    }

    private static byte[] RandomBytes(int count)
    {
        var bytes = new byte[count];
        new Random(1234).NextBytes(bytes);
        return bytes;
    }
}
