using System.Text;
using System.Text.Json;
using Mining.Kernels.Text;

namespace Mining.Kernels.Tests.Text;

public sealed class SentencePieceModelWriterTests
{
    private static readonly Lazy<string> TinyFolder = new(() =>
    {
        var folder = TestData.NewTempFolder();
        SentencePieceModelWriter.WriteTinyLlamaTokenizer(folder);
        return folder;
    });

    private static LlamaTextTokenizer Tiny => LlamaTextTokenizer.Load(TinyFolder.Value);

    private static byte[] TinyModelBytes => File.ReadAllBytes(Path.Combine(TinyFolder.Value, "tokenizer.model"));

    [Fact]
    public void Written_model_starts_with_unk_bos_eos_and_the_first_byte_piece()
    {
        var pieces = PlainProtobufFields.Pieces(TinyModelBytes);

        // Types: UNKNOWN 2, CONTROL 3, BYTE 6 (sentencepiece_model.proto).
        Assert.Equal(
            [("<unk>", 2), ("<s>", 3), ("</s>", 3), ("<0x00>", 6)],
            pieces.Take(4).Select(p => (p.Piece, p.Type)));
    }

    [Fact]
    public void Written_model_has_the_256_byte_pieces_at_3_to_258_then_normal_pieces()
    {
        var pieces = PlainProtobufFields.Pieces(TinyModelBytes);
        Assert.Equal(
            Enumerable.Range(0, 256).Select(b => ($"<0x{b:X2}>", 6)),
            pieces.Skip(3).Take(256).Select(p => (p.Piece, p.Type)));
        Assert.All(pieces.Skip(259), p => Assert.Equal(1, p.Type));
    }

    [Fact]
    public void Written_model_has_the_requested_number_of_distinct_pieces()
    {
        var pieces = PlainProtobufFields.Pieces(TinyModelBytes);
        Assert.Equal(400, pieces.Count);
        Assert.Equal(400, pieces.Select(p => p.Piece).Distinct().Count());
    }

    [Fact]
    public void Written_normal_piece_scores_decrease_strictly()
    {
        var scores = PlainProtobufFields.Pieces(TinyModelBytes).Skip(259).Select(p => p.Score).ToList();
        Assert.All(scores.Zip(scores.Skip(1)), pair => Assert.True(pair.First > pair.Second, $"{pair.First} then {pair.Second}"));
    }

    [Fact]
    public void Written_specs_are_bpe_with_byte_fallback_split_digits_and_an_identity_dummy_prefix_normalizer()
    {
        var trainer = PlainProtobufFields.VarintsOf(TinyModelBytes, 2);
        var normalizer = PlainProtobufFields.VarintsOf(TinyModelBytes, 3);

        // trainer_spec: model_type 3 (BPE = 2), vocab_size 4, split_digits 25, byte_fallback 35, unk/bos/eos 40/41/42;
        // normalizer_spec: add_dummy_prefix 3, remove_extra_whitespaces 4, escape_whitespaces 5.
        Assert.Equal(
            (2UL, 400UL, 1UL, 1UL, 0UL, 1UL, 2UL),
            (trainer[3], trainer[4], trainer[25], trainer[35], trainer[40], trainer[41], trainer[42]));
        Assert.Equal((1UL, 0UL, 1UL), (normalizer[3], normalizer[4], normalizer[5]));
        var name = PlainProtobufFields.Read(PlainProtobufFields.Read(TinyModelBytes).Single(f => f.Field == 3).Bytes)
            .Single(f => f.Field == 1).Bytes;
        Assert.Equal("identity"u8.ToArray(), name);
    }

    [Fact]
    public void Written_model_loads_with_llama_conventions()
    {
        var tokenizer = Tiny;
        Assert.Equal((0, 1, 2, 400), (tokenizer.UnkId, tokenizer.BosId, tokenizer.EosId, tokenizer.VocabularySize));
    }

    [Fact]
    public void Hello_world_round_trips_through_the_written_model()
    {
        var tokenizer = Tiny;
        var ids = tokenizer.Encode("Hello world");
        Assert.Equal("Hello world", tokenizer.Decode(ids));
    }

    [Fact]
    public void Merges_reach_whole_words()
    {
        var tokenizer = Tiny;
        Assert.Equal(["▁the", "▁and", "▁of"], tokenizer.Encode("the and of").Select(tokenizer.IdToPiece));
    }

    [Fact]
    public void The_llava_prompt_chunks_round_trip_through_the_written_model()
    {
        var tokenizer = Tiny;
        var template = PromptTemplate.Llava15;
        var prompt = PromptBuilder.Build(tokenizer, template);
        Assert.Equal(
            (template.ChunkBeforeImage, template.ChunkAfterImage),
            (tokenizer.Decode(prompt.PrefixIds[1..]), tokenizer.Decode(prompt.SuffixIds)));
        Assert.Equal([tokenizer.Encode(" ")[0], 3 + '\n'], prompt.SuffixIds[..2]);
    }

    [Fact]
    public void Characters_outside_the_vocabulary_fall_back_to_their_utf8_bytes()
    {
        var tokenizer = Tiny;
        var ids = tokenizer.Encode("é✓");

        // "▁", then é = C3 A9 and ✓ = E2 9C 93 as byte pieces (id = 3 + byte).
        Assert.Equal([tokenizer.Encode(" ")[0], 3 + 0xC3, 3 + 0xA9, 3 + 0xE2, 3 + 0x9C, 3 + 0x93], ids);
        Assert.Equal("é✓", tokenizer.Decode(ids));
    }

    [Fact]
    public void Every_byte_that_utf8_uses_round_trips_through_byte_fallback()
    {
        // U+0001..U+07FF covers the one- and two-byte forms; one character per three- and four-byte lead byte.
        var text = string.Concat(Enumerable.Range(1, 0x7FF).Select(c => (char)c))
            + string.Concat(Enumerable.Range(0, 16).Select(k => char.ConvertFromUtf32(k == 0 ? 0x800 : k * 0x1000)))
            + string.Concat(new[] { 0x10000, 0x40000, 0x80000, 0xC0000, 0x100000 }.Select(char.ConvertFromUtf32));
        var tokenizer = Tiny;
        var ids = tokenizer.Encode(text);

        var nonAsciiBytes = Encoding.UTF8.GetBytes(text).Where(b => b >= 0x80).Distinct().Order();
        Assert.Equal(nonAsciiBytes.Select(b => 3 + b), ids.Where(id => id >= 3 + 0x80 && id <= 3 + 0xFF).Distinct().Order());
        Assert.Equal(text, tokenizer.Decode(ids));
    }

    [Fact]
    public void Written_tokenizer_config_has_the_fixture_fields()
    {
        using var written = JsonDocument.Parse(File.ReadAllText(Path.Combine(TinyFolder.Value, "tokenizer_config.json")));
        using var fixture = JsonDocument.Parse(File.ReadAllText(Path.Combine(TestData.FixtureModel, "tokenizer_config.json")));
        Assert.Equal(fixture.RootElement.ToString(), written.RootElement.ToString());
    }

    [Theory]
    [InlineData(259)]
    [InlineData(100_000)]
    public void A_piece_count_outside_the_possible_range_is_refused(int pieceCount)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(
            () => SentencePieceModelWriter.WriteTinyLlamaTokenizer(TestData.NewTempFolder(), pieceCount));
        Assert.Equal("pieceCount", error.ParamName);
    }

    [Fact]
    public void A_smaller_vocabulary_still_round_trips_through_byte_fallback()
    {
        var folder = TestData.NewTempFolder();
        SentencePieceModelWriter.WriteTinyLlamaTokenizer(folder, 300);
        var tokenizer = LlamaTextTokenizer.Load(folder);
        Assert.Equal(300, tokenizer.VocabularySize);
        Assert.Equal("Hello world", tokenizer.Decode(tokenizer.Encode("Hello world")));
    }
}
