using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.ML.Tokenizers;

namespace Mining.Kernels.Text;

/// <summary>A byte-level BPE tokenizer read from a Hugging Face <c>tokenizer.json</c> (LLaMA-3, Qwen2).</summary>
/// <remarks>
/// Encoding follows HF tokenizers' pipeline: added tokens are split out of the raw text first (leftmost, then longest);
/// each remaining stretch is normalised (none, or NFC), split by the pre-tokenizer's regex keeping matches and gaps
/// (<c>Split</c>, behaviour "Isolated", or ByteLevel's own GPT-2 regex), spelled in GPT-2's byte alphabet, and each
/// piece becomes tokens by BPE. The merges are Microsoft.ML.Tokenizers' <see cref="BpeTokenizer"/> (byte-level) applied to one
/// piece at a time. The steps around it are done here because ML.Tokenizers 2.0 cannot give the reference ids
/// otherwise: its <see cref="BpeOptions"/> has no <c>ignore_merges</c> (LLaMA-3 maps a piece that is itself in the
/// vocabulary to that one id, which merging need not reach), its <see cref="RegexPreTokenizer"/> drops the text between
/// matches (HF's "Isolated" keeps it), and it adds no post-processor BOS.
/// </remarks>
public sealed class ByteLevelBpeTokenizer : ITextTokenizer
{
    public const string FileName = "tokenizer.json";

    /// <summary>GPT-2's split regex, used by a ByteLevel pre-tokenizer with <c>use_regex</c> true.</summary>
    private const string Gpt2Pattern = @"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+";

    private readonly BpeTokenizer _bpe;
    private readonly Dictionary<string, int> _vocabulary;
    private readonly Dictionary<int, string> _pieces;
    private readonly bool _ignoreMerges;
    private readonly bool _nfc;
    private readonly Regex _split;
    private readonly Dictionary<string, int> _addedIds;
    private readonly Dictionary<int, string> _addedContents;
    private readonly string[] _addedLongestFirst;
    private readonly int[] _prefixIds;
    private readonly int[] _suffixIds;

    private ByteLevelBpeTokenizer(
        BpeTokenizer bpe,
        Dictionary<string, int> vocabulary,
        bool ignoreMerges,
        bool nfc,
        Regex split,
        Dictionary<string, int> addedIds,
        int[] prefixIds,
        int[] suffixIds)
    {
        _bpe = bpe;
        _vocabulary = vocabulary;
        _pieces = vocabulary.GroupBy(pair => pair.Value).ToDictionary(group => group.Key, group => group.First().Key);
        _ignoreMerges = ignoreMerges;
        _nfc = nfc;
        _split = split;
        _addedIds = addedIds;
        _addedContents = addedIds.ToDictionary(pair => pair.Value, pair => pair.Key);
        _addedLongestFirst = [.. addedIds.Keys.OrderByDescending(content => content.Length).ThenBy(content => content, StringComparer.Ordinal)];
        _prefixIds = prefixIds;
        _suffixIds = suffixIds;
    }

    /// <inheritdoc/>
    public TokenizerFamily Family => TokenizerFamily.ByteLevelBpe;

    /// <inheritdoc/>
    public int? BosId { get; private init; }

    /// <inheritdoc/>
    public int? EosId { get; private init; }

    /// <inheritdoc/>
    public IReadOnlyList<string> DefaultSkipLeadingTokens => ITextTokenizer.DefaultSkipLeadingTokensOf(Family);

    /// <summary>Whether a pre-token that is itself in the vocabulary becomes that one id without merging (<c>model.ignore_merges</c>).</summary>
    public bool IgnoreMerges => _ignoreMerges;

    /// <summary>Loads <c>tokenizer.json</c> (and the special-token names of <c>tokenizer_config.json</c> when present) from a checkpoint folder.</summary>
    /// <exception cref="TokenizerException">The file is missing, malformed, or asks for a step Mining does not implement; the message names the file and the field.</exception>
    public static ByteLevelBpeTokenizer Load(string modelDirectory)
    {
        var path = Path.Combine(modelDirectory, FileName);
        if (!File.Exists(path))
        {
            throw new TokenizerException($"{path}: {FileName} is missing (a byte-level BPE checkpoint ships its Hugging Face tokenizer.json)");
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(File.ReadAllText(path));
        }
        catch (JsonException e)
        {
            throw new TokenizerException($"{path}: not valid JSON: {e.Message}", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new TokenizerException($"{path}: cannot read: {e.Message}", e);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new TokenizerException($"{path}: expected a JSON object, found {root.ValueKind}");
            }

            var reader = new TokenizerJson(path);
            var (vocabulary, merges, ignoreMerges) = reader.Model(root);
            var nfc = reader.Normalizer(root);
            var split = reader.PreTokenizer(root);
            var addedIds = reader.AddedTokens(root, normalized: nfc);
            var (prefix, suffix) = reader.PostProcessor(root);

            BpeTokenizer bpe;
            try
            {
                bpe = BpeTokenizer.Create(new BpeOptions(vocabulary) { Merges = merges, ByteLevel = true });
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                throw new TokenizerException($"{path}: Microsoft.ML.Tokenizers cannot build the BPE model: {e.Message}", e);
            }

            var config = TokenizerConfig.Read(Path.Combine(modelDirectory, LlamaTextTokenizer.ConfigFileName));
            int? SpecialId(string? name, string field) =>
                name is null ? null
                : addedIds.TryGetValue(name, out var added) ? added
                : vocabulary.TryGetValue(name, out var id) ? id
                : throw new TokenizerException($"{config.Path}: {field} \"{name}\" is not a token of {path}");
            return new ByteLevelBpeTokenizer(bpe, vocabulary, ignoreMerges, nfc, split, addedIds, prefix, suffix)
            {
                BosId = SpecialId(config.BosToken, "bos_token"),
                EosId = SpecialId(config.EosToken, "eos_token"),
            };
        }
    }

    /// <inheritdoc/>
    public int[] Encode(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var ids = new List<int>();
        var start = 0;
        while (start < text.Length)
        {
            var (at, token) = NextAddedToken(text, start);
            EncodeOrdinary(text[start..at], ids);
            if (token is null)
            {
                break;
            }

            ids.Add(_addedIds[token]);
            start = at + token.Length;
        }

        return [.. ids];
    }

    /// <summary>The post-processor's ids around <see cref="Encode"/> (LLaMA-3's <c>TemplateProcessing</c> prepends <c>&lt;|begin_of_text|&gt;</c>).</summary>
    public int[] EncodeWithSpecialTokens(string text) => [.. _prefixIds, .. Encode(text), .. _suffixIds];

    /// <summary>The id of an added token ("&lt;|eot_id|&gt;") or of a vocabulary entry spelled in the byte alphabet ("ĠA"); null when there is none.</summary>
    public int? TokenId(string token)
    {
        ArgumentNullException.ThrowIfNull(token);
        return _addedIds.TryGetValue(token, out var added) ? added
            : _vocabulary.TryGetValue(token, out var id) ? id
            : null;
    }

    /// <inheritdoc/>
    public string IdToPiece(int id) =>
        _addedContents.TryGetValue(id, out var content) ? content
        : _pieces.TryGetValue(id, out var piece) ? piece
        : UnknownIdText(id);

    /// <inheritdoc/>
    public string Decode(int id) => Decode([id]);

    /// <summary>The text of a sequence of ids: vocabulary pieces back to their UTF-8 bytes, added tokens as their content, other ids as "&lt;id N&gt;"; invalid UTF-8 becomes U+FFFD.</summary>
    public string Decode(IReadOnlyList<int> ids)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var text = new StringBuilder();
        var bytes = new List<byte>();
        foreach (var id in ids)
        {
            if (!_addedContents.ContainsKey(id) && _pieces.TryGetValue(id, out var piece) && ByteLevelAlphabet.TryAppendBytes(piece, bytes))
            {
                continue;
            }

            Flush();
            text.Append(IdToPiece(id));
        }

        Flush();
        return text.ToString();

        void Flush()
        {
            if (bytes.Count > 0)
            {
                text.Append(Encoding.UTF8.GetString([.. bytes]));
                bytes.Clear();
            }
        }
    }

    private static string UnknownIdText(int id) => $"<id {id.ToString(CultureInfo.InvariantCulture)}>";

    /// <summary>The leftmost added token at or after <paramref name="start"/>, the longest one there; (text length, null) when there is none.</summary>
    private (int At, string? Token) NextAddedToken(string text, int start)
    {
        for (var at = start; at < text.Length; at++)
        {
            foreach (var token in _addedLongestFirst)
            {
                if (at + token.Length <= text.Length && string.CompareOrdinal(text, at, token, 0, token.Length) == 0)
                {
                    return (at, token);
                }
            }
        }

        return (text.Length, null);
    }

    /// <summary>Normalise, split into pre-tokens (matches and the gaps between them), and BPE each pre-token.</summary>
    private void EncodeOrdinary(string text, List<int> ids)
    {
        if (text.Length == 0)
        {
            return;
        }

        if (_nfc)
        {
            text = text.Normalize(NormalizationForm.FormC);
        }

        var position = 0;
        foreach (Match match in _split.Matches(text))
        {
            if (match.Length == 0)
            {
                continue;
            }

            EncodePiece(text[position..match.Index], ids);
            EncodePiece(match.Value, ids);
            position = match.Index + match.Length;
        }

        EncodePiece(text[position..], ids);
    }

    private void EncodePiece(string piece, List<int> ids)
    {
        if (piece.Length == 0)
        {
            return;
        }

        if (_ignoreMerges && _vocabulary.TryGetValue(ByteLevelAlphabet.Encode(piece), out var whole))
        {
            ids.Add(whole);
            return;
        }

        ids.AddRange(_bpe.EncodeToIds(piece, considerPreTokenization: false, considerNormalization: false));
    }

    /// <summary>Reads the parts of tokenizer.json; every refusal names the file and the field.</summary>
    private sealed class TokenizerJson(string path)
    {
        public (Dictionary<string, int> Vocabulary, List<string> Merges, bool IgnoreMerges) Model(JsonElement root)
        {
            var model = Object(root, "model");
            var type = OptionalString(model, "type", "model.type") ?? "BPE";
            if (type != "BPE")
            {
                throw Fail("model.type", $"is '{type}'; Mining reads byte-level BPE tokenizer.json files only");
            }

            if (Flag(model, "byte_fallback", "model.byte_fallback"))
            {
                throw Fail("model.byte_fallback", "is true; that is a SentencePiece-style BPE, not a byte-level one");
            }

            foreach (var field in new[] { "continuing_subword_prefix", "end_of_word_suffix" })
            {
                if (OptionalString(model, field, $"model.{field}") is { Length: > 0 } value)
                {
                    throw Fail($"model.{field}", $"is '{value}'; a byte-level BPE has none");
                }
            }

            if (model.TryGetProperty("dropout", out var dropout) && dropout.ValueKind == JsonValueKind.Number && dropout.GetDouble() != 0)
            {
                throw Fail("model.dropout", "is set; BPE dropout makes encoding random");
            }

            var vocabulary = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var entry in Object(model, "vocab", "model.vocab").EnumerateObject())
            {
                if (entry.Value.ValueKind != JsonValueKind.Number || !entry.Value.TryGetInt32(out var id) || id < 0)
                {
                    throw Fail("model.vocab", $"maps \"{entry.Name}\" to {entry.Value.GetRawText()}, not a token id");
                }

                vocabulary[entry.Name] = id;
            }

            var alphabet = ByteLevelAlphabet.Encode(Encoding.Latin1.GetString([.. Enumerable.Range(0, 256).Select(b => (byte)b)]));
            if (alphabet.Select(symbol => symbol.ToString()).FirstOrDefault(symbol => !vocabulary.ContainsKey(symbol)) is { } absent)
            {
                throw Fail("model.vocab", $"lacks the byte symbol '{absent}'; a byte-level vocabulary holds all 256 of GPT-2's byte alphabet");
            }

            var merges = new List<string>();
            if (!model.TryGetProperty("merges", out var list) || list.ValueKind != JsonValueKind.Array)
            {
                throw Fail("model.merges", "is missing or not a list");
            }

            foreach (var merge in list.EnumerateArray())
            {
                // tokenizers ≥ 0.20 writes a merge as ["a", "b"], older versions as "a b"; byte-level symbols hold no space.
                merges.Add(merge.ValueKind switch
                {
                    JsonValueKind.String when merge.GetString()!.Split(' ') is { Length: 2 } => merge.GetString()!,
                    JsonValueKind.Array when merge.GetArrayLength() == 2 && merge.EnumerateArray().All(part => part.ValueKind == JsonValueKind.String)
                        => string.Join(' ', merge.EnumerateArray().Select(part => part.GetString())),
                    _ => throw Fail("model.merges", $"holds {merge.GetRawText()}; a merge is \"a b\" or [\"a\", \"b\"]"),
                });
            }

            return (vocabulary, merges, Flag(model, "ignore_merges", "model.ignore_merges"));
        }

        /// <summary>True for NFC, false for none; every other normaliser is refused.</summary>
        public bool Normalizer(JsonElement root)
        {
            if (!root.TryGetProperty("normalizer", out var normalizer) || normalizer.ValueKind == JsonValueKind.Null)
            {
                return false;
            }

            var types = Type(normalizer, "normalizer") == "Sequence"
                ? Array(normalizer, "normalizers", "normalizer.normalizers").Select(n => Type(n, "normalizer.normalizers")).ToList()
                : [Type(normalizer, "normalizer")];
            if (types.Any(type => type != "NFC"))
            {
                throw Fail("normalizer", $"is {normalizer.GetRawText()}; Mining implements no normaliser or NFC only");
            }

            return types.Count > 0;
        }

        /// <summary>The split regex: a <c>Split</c> (Isolated) followed by a regex-free ByteLevel, or a ByteLevel with GPT-2's regex.</summary>
        public Regex PreTokenizer(JsonElement root)
        {
            if (!root.TryGetProperty("pre_tokenizer", out var pre) || pre.ValueKind != JsonValueKind.Object)
            {
                throw Fail("pre_tokenizer", "is missing; a byte-level BPE needs a ByteLevel pre-tokenizer");
            }

            var steps = Type(pre, "pre_tokenizer") == "Sequence" ? [.. Array(pre, "pretokenizers", "pre_tokenizer.pretokenizers")] : new List<JsonElement> { pre };
            string? pattern = null;
            var byteLevel = false;
            foreach (var step in steps)
            {
                switch (Type(step, "pre_tokenizer"))
                {
                    case "Split" when pattern is null && !byteLevel:
                        pattern = SplitPattern(step);
                        break;
                    case "ByteLevel" when !byteLevel:
                        if (Flag(step, "add_prefix_space", "pre_tokenizer.add_prefix_space"))
                        {
                            throw Fail("pre_tokenizer.add_prefix_space", "is true; Mining's byte-level tokenizer adds no prefix space (LLaMA-3 and Qwen2 do not)");
                        }

                        var useRegex = !step.TryGetProperty("use_regex", out var regexFlag) || regexFlag.ValueKind != JsonValueKind.False;
                        if (useRegex)
                        {
                            pattern = pattern is null ? Gpt2Pattern : throw Fail("pre_tokenizer", "splits twice (a Split and a ByteLevel with use_regex); Mining implements one split");
                        }

                        byteLevel = true;
                        break;
                    default:
                        throw Fail("pre_tokenizer", $"has the step {step.GetRawText()}; Mining implements a Split then a ByteLevel, or a ByteLevel alone");
                }
            }

            if (!byteLevel || pattern is null)
            {
                throw Fail("pre_tokenizer", "has no ByteLevel step or no split regex; not a byte-level BPE tokenizer");
            }

            try
            {
                return new Regex(pattern, RegexOptions.CultureInvariant | RegexOptions.Compiled);
            }
            catch (ArgumentException e)
            {
                throw Fail("pre_tokenizer", $"has a regex .NET cannot compile: {e.Message}");
            }
        }

        /// <summary>Added tokens by content; they are matched in the raw text before anything else.</summary>
        public Dictionary<string, int> AddedTokens(JsonElement root, bool normalized)
        {
            var added = new Dictionary<string, int>(StringComparer.Ordinal);
            if (!root.TryGetProperty("added_tokens", out var list) || list.ValueKind == JsonValueKind.Null)
            {
                return added;
            }

            if (list.ValueKind != JsonValueKind.Array)
            {
                throw Fail("added_tokens", "must be a list");
            }

            foreach (var token in list.EnumerateArray())
            {
                if (token.ValueKind != JsonValueKind.Object
                    || !token.TryGetProperty("id", out var idElement) || !idElement.TryGetInt32(out var id) || id < 0
                    || !token.TryGetProperty("content", out var contentElement) || contentElement.ValueKind != JsonValueKind.String
                    || contentElement.GetString() is not { Length: > 0 } content)
                {
                    throw Fail("added_tokens", $"holds {token.GetRawText()}; an added token has an \"id\" and a non-empty \"content\"");
                }

                foreach (var flag in new[] { "lstrip", "rstrip", "single_word" })
                {
                    if (Flag(token, flag, $"added_tokens[{content}].{flag}"))
                    {
                        throw Fail($"added_tokens[{content}].{flag}", "is true; Mining matches added tokens exactly as written");
                    }
                }

                if (normalized && Flag(token, "normalized", $"added_tokens[{content}].normalized") && content.Normalize(NormalizationForm.FormC) != content)
                {
                    throw Fail($"added_tokens[{content}].normalized", "is true for a token NFC changes; Mining matches added tokens in the raw text");
                }

                added[content] = id;
            }

            return added;
        }

        /// <summary>The special ids a <c>TemplateProcessing</c> puts before and after a single sequence (none for ByteLevel or no post-processor).</summary>
        public (int[] Prefix, int[] Suffix) PostProcessor(JsonElement root)
        {
            if (!root.TryGetProperty("post_processor", out var post) || post.ValueKind == JsonValueKind.Null)
            {
                return ([], []);
            }

            var processors = Type(post, "post_processor") == "Sequence" ? [.. Array(post, "processors", "post_processor.processors")] : new List<JsonElement> { post };
            var prefix = new List<int>();
            var suffix = new List<int>();
            var templates = 0;
            foreach (var processor in processors)
            {
                switch (Type(processor, "post_processor"))
                {
                    case "ByteLevel":
                        break; // adjusts offsets only
                    case "TemplateProcessing" when templates++ == 0:
                        var specials = processor.TryGetProperty("special_tokens", out var table) && table.ValueKind == JsonValueKind.Object ? table : default;
                        var seenSequence = false;
                        foreach (var piece in Array(processor, "single", "post_processor.single"))
                        {
                            if (piece.TryGetProperty("Sequence", out _))
                            {
                                seenSequence = true;
                            }
                            else if (piece.TryGetProperty("SpecialToken", out var special) && special.TryGetProperty("id", out var name) && name.ValueKind == JsonValueKind.String)
                            {
                                var ids = SpecialIds(specials, name.GetString()!);
                                (seenSequence ? suffix : prefix).AddRange(ids);
                            }
                            else
                            {
                                throw Fail("post_processor.single", $"holds {piece.GetRawText()}; expected a SpecialToken or the Sequence");
                            }
                        }

                        break;
                    default:
                        throw Fail("post_processor", $"has the step {processor.GetRawText()}; Mining implements ByteLevel and TemplateProcessing");
                }
            }

            return ([.. prefix], [.. suffix]);
        }

        private int[] SpecialIds(JsonElement specials, string name)
        {
            if (specials.ValueKind != JsonValueKind.Object || !specials.TryGetProperty(name, out var entry)
                || !entry.TryGetProperty("ids", out var ids) || ids.ValueKind != JsonValueKind.Array)
            {
                throw Fail("post_processor.special_tokens", $"has no ids for '{name}'");
            }

            return [.. ids.EnumerateArray().Select(id => id.TryGetInt32(out var value) && value >= 0 ? value : throw Fail("post_processor.special_tokens", $"'{name}' has the id {id.GetRawText()}"))];
        }

        private string SplitPattern(JsonElement split)
        {
            if (!split.TryGetProperty("pattern", out var pattern) || pattern.ValueKind != JsonValueKind.Object)
            {
                throw Fail("pre_tokenizer.pattern", "is missing");
            }

            var behavior = OptionalString(split, "behavior", "pre_tokenizer.behavior");
            if (behavior != "Isolated" || Flag(split, "invert", "pre_tokenizer.invert"))
            {
                throw Fail("pre_tokenizer.behavior", $"is '{behavior}'; Mining implements the Split behaviour 'Isolated' without invert (LLaMA-3, Qwen2)");
            }

            return OptionalString(pattern, "Regex", "pre_tokenizer.pattern.Regex")
                ?? (OptionalString(pattern, "String", "pre_tokenizer.pattern.String") is { } literal
                    ? Regex.Escape(literal)
                    : throw Fail("pre_tokenizer.pattern", "has neither 'Regex' nor 'String'"));
        }

        private string Type(JsonElement element, string field) =>
            OptionalString(element, "type", field + ".type") ?? throw Fail(field, $"has no 'type': {element.GetRawText()}");

        private JsonElement Object(JsonElement parent, string name, string? field = null) =>
            parent.ValueKind == JsonValueKind.Object && parent.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Object
                ? value
                : throw Fail(field ?? name, "is missing or not an object");

        private List<JsonElement> Array(JsonElement parent, string name, string field) =>
            parent.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Array
                ? [.. value.EnumerateArray()]
                : throw Fail(field, "is missing or not a list");

        private string? OptionalString(JsonElement parent, string name, string field)
        {
            if (parent.ValueKind != JsonValueKind.Object || !parent.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
            {
                return null;
            }

            return value.ValueKind == JsonValueKind.String ? value.GetString() : throw Fail(field, $"must be a string, found {value.ValueKind}");
        }

        private bool Flag(JsonElement parent, string name, string field)
        {
            if (!parent.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
            {
                return false;
            }

            return value.ValueKind switch
            {
                JsonValueKind.True => true,
                JsonValueKind.False => false,
                _ => throw Fail(field, $"must be true or false, found {value.GetRawText()}"),
            };
        }

        private TokenizerException Fail(string field, string problem) => new($"{path}: field '{field}' {problem}");
    }
}
