using System.Text.Json;
using Mining.Kernels.Checkpoints;
using Mining.Kernels.Model;
using Mining.Kernels.Text;

namespace Mining.Kernels.Tests.Text;

/// <summary>
/// The tiny byte-level tokenizers make-tiny writes (LLaMA-3 for LLaVA-NeXT, Qwen2 for LLaVA-OneVision): Mining's reader and a
/// plain BPE written here (<see cref="PlainBpe"/>: merges applied by rank to the byte-alphabet string) give the same ids.
/// </summary>
public sealed class ByteLevelBpeTokenizerWriterTests
{
    /// <summary>The split regexes of Meta-Llama-3's and Qwen2's tokenizer.json, as llava-next-tiny-ref and llava-ov-tiny-ref ship them.</summary>
    private const string PublishedLlama3Regex = @"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+";

    private const string PublishedQwen2Regex = @"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+";

    private static readonly Dictionary<string, Lazy<string>> Folders = new()
    {
        ["next"] = new(() => Write(ModelFamily.Next)),
        ["onevision"] = new(() => Write(ModelFamily.Onevision)),
    };

    public static TheoryData<string> Families => new("next", "onevision");

    public static TheoryData<string, string> Texts => new()
    {
        { "next", "What does this image show? You must provide a single word that best describes the image." },
        { "next", "In 2025, 1234567 cats ate 42 fish... Don't they're 'quoted'?\n\n  Tabs\tand  spaces " },
        { "next", "caf\u00e9 cafe\u0301 na\u00efve \u00fcber \u65e5\u672c \U0001F600" },
        { "onevision", "What does this image show? You must provide a single word that best describes the image." },
        { "onevision", "In 2025, 1234567 cats ate 42 fish... Don't they're 'quoted'?\n\n  Tabs\tand  spaces " },
        { "onevision", "caf\u00e9 cafe\u0301 na\u00efve \u00fcber \u65e5\u672c \U0001F600" },
    };

    [Theory]
    [MemberData(nameof(Families))]
    public void The_family_prompt_encodes_to_the_ids_a_plain_bpe_gives(string family)
    {
        var template = Family(family).Template;
        var tokenizer = ByteLevelBpeTokenizer.Load(Folders[family].Value);
        var plain = PlainBpe.Read(Folders[family].Value);

        Assert.Equal(plain.Encode(template.ChunkBeforeImage), tokenizer.Encode(template.ChunkBeforeImage));
        Assert.Equal(plain.Encode(template.ChunkAfterImage), tokenizer.Encode(template.ChunkAfterImage));
    }

    [Theory]
    [MemberData(nameof(Texts))]
    public void Other_text_encodes_to_the_ids_a_plain_bpe_gives(string family, string text)
    {
        var tokenizer = ByteLevelBpeTokenizer.Load(Folders[family].Value);
        Assert.Equal(PlainBpe.Read(Folders[family].Value).Encode(text), tokenizer.Encode(text));
    }

    [Theory]
    [MemberData(nameof(Families))]
    public void The_mining_question_takes_a_reasonable_number_of_pieces(string family)
    {
        var tokenizer = ByteLevelBpeTokenizer.Load(Folders[family].Value);

        // 16 words and two punctuation marks: merged into words, not spelled out byte by byte (89 bytes).
        var ids = tokenizer.Encode(PromptTemplate.DefaultQuestion);

        Assert.InRange(ids.Length, 16, 24);
    }

    [Theory]
    [MemberData(nameof(Families))]
    public void Ids_0_to_255_are_the_byte_symbols_in_gpt2_order_and_the_specials_follow_the_vocabulary(string family)
    {
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(Folders[family].Value, "tokenizer.json")));
        var vocab = json.RootElement.GetProperty("model").GetProperty("vocab").EnumerateObject().ToDictionary(e => e.Name, e => e.Value.GetInt32());
        var (order, alphabet) = Gpt2Alphabet();
        for (var id = 0; id < 256; id++)
        {
            Assert.Equal(id, vocab[alphabet[order[id]].ToString()]);
        }

        Assert.Equal(Enumerable.Range(0, vocab.Count), vocab.Values.Order());
        var added = json.RootElement.GetProperty("added_tokens").EnumerateArray().Select(t => (t.GetProperty("content").GetString(), t.GetProperty("id").GetInt32())).ToList();
        string[] specials = family == "next"
            ? ["<|begin_of_text|>", "<|end_of_text|>", "<|start_header_id|>", "<|end_header_id|>", "<|eot_id|>", "<image>", "<pad>"]
            : ["<|endoftext|>", "<|im_start|>", "<|im_end|>", "<image>", "<video>"];
        Assert.Equal(specials.Select((token, i) => ((string?)token, vocab.Count + i)), added);
        Assert.Equal(vocab.Count + specials.Length, TinyTokenizer.Of(Family(family)).Size);
        Assert.Equal(vocab.Count + Array.IndexOf(specials, "<image>"), TinyTokenizer.Of(Family(family)).ImageTokenId);
    }

    [Fact]
    public void The_llama3_convention_splits_digits_in_threes_ignores_merges_and_adds_begin_of_text()
    {
        var folder = Folders["next"].Value;
        var tokenizer = ByteLevelBpeTokenizer.Load(folder);
        var plain = PlainBpe.Read(folder);

        Assert.Equal(PublishedLlama3Regex, plain.Pattern);
        Assert.False(plain.Nfc);
        Assert.True(tokenizer.IgnoreMerges);
        Assert.Equal(tokenizer.TokenId("<|begin_of_text|>"), tokenizer.BosId);
        Assert.Equal(tokenizer.TokenId("<|eot_id|>"), tokenizer.EosId);
        Assert.Equal([tokenizer.BosId!.Value, .. tokenizer.Encode("Hello")], tokenizer.EncodeWithSpecialTokens("Hello"));
        Assert.Equal(["123", "456", "7"], plain.PreTokens("1234567"));
    }

    [Fact]
    public void The_qwen2_convention_splits_single_digits_declares_nfc_and_adds_no_bos()
    {
        var folder = Folders["onevision"].Value;
        var tokenizer = ByteLevelBpeTokenizer.Load(folder);
        var plain = PlainBpe.Read(folder);

        Assert.Equal(PublishedQwen2Regex, plain.Pattern);
        Assert.True(plain.Nfc);
        Assert.False(tokenizer.IgnoreMerges);
        Assert.Null(tokenizer.BosId);
        Assert.Equal(tokenizer.TokenId("<|im_end|>"), tokenizer.EosId);
        Assert.Equal(tokenizer.Encode("Hello"), tokenizer.EncodeWithSpecialTokens("Hello"));
        Assert.Equal(["1", "2", "3"], plain.PreTokens("123"));
        Assert.True(File.Exists(Path.Combine(folder, "vocab.json")));
        Assert.StartsWith("#version: 0.2\n", File.ReadAllText(Path.Combine(folder, "merges.txt")), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Families))]
    public void Writing_twice_gives_identical_files(string family)
    {
        var again = Write(Family(family));
        var files = Directory.GetFiles(Folders[family].Value).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(files, Directory.GetFiles(again).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        foreach (var file in files)
        {
            Assert.Equal(File.ReadAllBytes(Path.Combine(Folders[family].Value, file!)), File.ReadAllBytes(Path.Combine(again, file!)));
        }
    }

    [Theory]
    [MemberData(nameof(Families))]
    public void Decoding_the_prompt_ids_gives_the_prompt_back(string family)
    {
        var tokenizer = ByteLevelBpeTokenizer.Load(Folders[family].Value);
        var text = Family(family).Template.ChunkBeforeImage + "<image>" + Family(family).Template.ChunkAfterImage;
        Assert.Equal(text, tokenizer.Decode(tokenizer.Encode(text)));
    }

    private static ModelFamily Family(string name) => ModelFamily.All.Single(f => f.Name == name);

    private static string Write(ModelFamily family)
    {
        var folder = TestData.NewTempFolder();
        TinyTokenizer.Of(family).Write(folder);
        return folder;
    }

    /// <summary>openai/gpt-2 encoder.py <c>bytes_to_unicode</c>: its <c>bs</c> list (the byte order of ids 0…255) and the character of each byte.</summary>
    private static (List<int> Order, char[] Alphabet) Gpt2Alphabet()
    {
        var bs = Enumerable.Range('!', '~' - '!' + 1).Concat(Enumerable.Range('¡', '¬' - '¡' + 1)).Concat(Enumerable.Range('®', 'ÿ' - '®' + 1)).ToList();
        var alphabet = new char[256];
        foreach (var b in bs)
        {
            alphabet[b] = (char)b;
        }

        var n = 0;
        for (var b = 0; b < 256; b++)
        {
            if (!bs.Contains(b))
            {
                bs.Add(b);
                alphabet[b] = (char)(256 + n++);
            }
        }

        return (bs, alphabet);
    }

    /// <summary>
    /// A plain byte-level BPE read from tokenizer.json: added tokens split out (leftmost, then longest), NFC when the normaliser
    /// says so, the Split regex's matches and the text between them as pre-tokens, GPT-2's byte alphabet, a pre-token in the
    /// vocabulary taken whole when <c>ignore_merges</c>, else the lowest-ranked adjacent pair merged until none is left.
    /// </summary>
    private sealed class PlainBpe
    {
        private readonly Dictionary<string, int> vocab;
        private readonly Dictionary<(string, string), int> ranks;
        private readonly Dictionary<string, int> added;
        private readonly bool ignoreMerges;
        private readonly char[] alphabet;

        private PlainBpe(string pattern, bool nfc, Dictionary<string, int> vocab, Dictionary<(string, string), int> ranks, Dictionary<string, int> added, bool ignoreMerges)
        {
            Pattern = pattern;
            Nfc = nfc;
            this.vocab = vocab;
            this.ranks = ranks;
            this.added = added;
            this.ignoreMerges = ignoreMerges;
            alphabet = Gpt2Alphabet().Alphabet;
        }

        public string Pattern { get; }

        public bool Nfc { get; }

        public static PlainBpe Read(string folder)
        {
            using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "tokenizer.json")));
            var root = json.RootElement;
            var model = root.GetProperty("model");
            var vocab = model.GetProperty("vocab").EnumerateObject().ToDictionary(e => e.Name, e => e.Value.GetInt32());
            var ranks = new Dictionary<(string, string), int>();
            foreach (var merge in model.GetProperty("merges").EnumerateArray())
            {
                var parts = merge.GetString()!.Split(' ');
                ranks.TryAdd((parts[0], parts[1]), ranks.Count);
            }

            var added = root.GetProperty("added_tokens").EnumerateArray().ToDictionary(t => t.GetProperty("content").GetString()!, t => t.GetProperty("id").GetInt32());
            var split = root.GetProperty("pre_tokenizer").GetProperty("pretokenizers")[0];
            Assert.Equal("Isolated", split.GetProperty("behavior").GetString());
            var nfc = root.GetProperty("normalizer").ValueKind == JsonValueKind.Object && root.GetProperty("normalizer").GetProperty("type").GetString() == "NFC";
            return new PlainBpe(split.GetProperty("pattern").GetProperty("Regex").GetString()!, nfc, vocab, ranks, added, model.GetProperty("ignore_merges").GetBoolean());
        }

        public List<string> PreTokens(string text)
        {
            var pieces = new List<string>();
            var at = 0;
            foreach (System.Text.RegularExpressions.Match match in System.Text.RegularExpressions.Regex.Matches(text, Pattern))
            {
                if (match.Length == 0)
                {
                    continue;
                }

                if (match.Index > at)
                {
                    pieces.Add(text[at..match.Index]);
                }

                pieces.Add(match.Value);
                at = match.Index + match.Length;
            }

            if (at < text.Length)
            {
                pieces.Add(text[at..]);
            }

            return pieces;
        }

        public List<int> Encode(string text)
        {
            var ids = new List<int>();
            var start = 0;
            while (start < text.Length)
            {
                var (at, token) = (text.Length, (string?)null);
                for (var i = start; i < text.Length && token is null; i++)
                {
                    token = added.Keys.Where(k => i + k.Length <= text.Length && string.CompareOrdinal(text, i, k, 0, k.Length) == 0).OrderByDescending(k => k.Length).FirstOrDefault();
                    at = token is null ? text.Length : i;
                }

                var ordinary = text[start..at];
                foreach (var piece in PreTokens(Nfc ? ordinary.Normalize(System.Text.NormalizationForm.FormC) : ordinary))
                {
                    ids.AddRange(Bpe(string.Concat(System.Text.Encoding.UTF8.GetBytes(piece).Select(b => alphabet[b]))));
                }

                if (token is null)
                {
                    break;
                }

                ids.Add(added[token]);
                start = at + token.Length;
            }

            return ids;
        }

        private IEnumerable<int> Bpe(string spelled)
        {
            if (ignoreMerges && vocab.TryGetValue(spelled, out var whole))
            {
                return [whole];
            }

            var symbols = spelled.Select(c => c.ToString()).ToList();
            while (true)
            {
                var best = -1;
                var bestRank = int.MaxValue;
                for (var i = 0; i + 1 < symbols.Count; i++)
                {
                    if (ranks.TryGetValue((symbols[i], symbols[i + 1]), out var rank) && rank < bestRank)
                    {
                        (best, bestRank) = (i, rank);
                    }
                }

                if (best < 0)
                {
                    return symbols.Select(s => vocab[s]);
                }

                // Merge every occurrence of the best pair, left to right.
                var (left, right) = (symbols[best], symbols[best + 1]);
                for (var i = 0; i + 1 < symbols.Count; i++)
                {
                    if (symbols[i] == left && symbols[i + 1] == right)
                    {
                        symbols[i] = left + right;
                        symbols.RemoveAt(i + 1);
                    }
                }
            }
        }
    }
}
