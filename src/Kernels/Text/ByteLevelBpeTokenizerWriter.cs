using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Mining.Kernels.Text;

/// <summary>
/// Writes a Hugging Face byte-level BPE tokenizer (<c>tokenizer.json</c>, <c>tokenizer_config.json</c>,
/// <c>special_tokens_map.json</c>, and for Qwen2 <c>vocab.json</c> and <c>merges.txt</c>) in a family's conventions, e.g. the
/// small tokenizers of test checkpoints; <see cref="ByteLevelBpeTokenizer"/> reads them.
/// </summary>
/// <remarks>The file layout follows what HF tokenizers' <c>Tokenizer.save</c> and transformers' <c>save_pretrained</c> write (llava-next-tiny-ref and llava-ov-tiny-ref are examples).</remarks>
public static class ByteLevelBpeTokenizerWriter
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Writes the tokenizer files of <paramref name="vocabulary"/> into <paramref name="directory"/> (created if needed); <paramref name="processorClass"/> goes into tokenizer_config.json.</summary>
    public static void Write(string directory, ByteLevelBpeVocabulary vocabulary, string processorClass)
    {
        ArgumentNullException.ThrowIfNull(vocabulary);
        Directory.CreateDirectory(directory);
        Save(Path.Combine(directory, ByteLevelBpeTokenizer.FileName), TokenizerJson(vocabulary));
        Save(Path.Combine(directory, LlamaTextTokenizer.ConfigFileName), TokenizerConfig(vocabulary, processorClass));
        Save(Path.Combine(directory, "special_tokens_map.json"), SpecialTokensMap(vocabulary.Convention));
        if (vocabulary.Convention.ShipsVocabAndMerges)
        {
            Save(Path.Combine(directory, "vocab.json"), VocabularyObject(vocabulary));
            var merges = new StringBuilder("#version: 0.2\n");
            foreach (var (left, right) in vocabulary.Merges)
            {
                merges.Append(left).Append(' ').Append(right).Append('\n');
            }

            File.WriteAllText(Path.Combine(directory, "merges.txt"), merges.ToString(), new UTF8Encoding(false));
        }
    }

    private static JsonObject TokenizerJson(ByteLevelBpeVocabulary vocabulary)
    {
        var convention = vocabulary.Convention;
        return new JsonObject
        {
            ["version"] = "1.0",
            ["truncation"] = null,
            ["padding"] = null,
            ["added_tokens"] = new JsonArray([.. convention.SpecialTokens.Select(token => (JsonNode)new JsonObject
            {
                ["id"] = vocabulary.SpecialId(token),
                ["content"] = token,
                ["single_word"] = false,
                ["lstrip"] = false,
                ["rstrip"] = false,
                ["normalized"] = false,
                ["special"] = true,
            })]),
            ["normalizer"] = convention.Nfc ? new JsonObject { ["type"] = "NFC" } : null,
            ["pre_tokenizer"] = new JsonObject
            {
                ["type"] = "Sequence",
                ["pretokenizers"] = new JsonArray(
                    new JsonObject
                    {
                        ["type"] = "Split",
                        ["pattern"] = new JsonObject { ["Regex"] = convention.SplitPattern },
                        ["behavior"] = "Isolated",
                        ["invert"] = false,
                    },
                    new JsonObject { ["type"] = "ByteLevel", ["add_prefix_space"] = false, ["trim_offsets"] = false, ["use_regex"] = false }),
            },
            ["post_processor"] = PostProcessor(vocabulary),
            ["decoder"] = new JsonObject { ["type"] = "ByteLevel", ["add_prefix_space"] = false, ["trim_offsets"] = false, ["use_regex"] = false },
            ["model"] = new JsonObject
            {
                ["type"] = "BPE",
                ["dropout"] = null,
                ["unk_token"] = null,
                ["continuing_subword_prefix"] = null,
                ["end_of_word_suffix"] = null,
                ["fuse_unk"] = false,
                ["byte_fallback"] = false,
                ["ignore_merges"] = convention.IgnoreMerges,
                ["vocab"] = VocabularyObject(vocabulary),
                ["merges"] = new JsonArray([.. vocabulary.Merges.Select(merge => (JsonNode)JsonValue.Create(merge.Left + " " + merge.Right))]),
            },
        };
    }

    /// <summary>A plain ByteLevel step; with a BOS, LLaMA-3's <c>TemplateProcessing</c> that puts it before the sequence.</summary>
    private static JsonObject PostProcessor(ByteLevelBpeVocabulary vocabulary)
    {
        if (vocabulary.Convention.BosToken is not { } bos)
        {
            return new JsonObject { ["type"] = "ByteLevel", ["add_prefix_space"] = false, ["trim_offsets"] = false, ["use_regex"] = false };
        }

        JsonObject Special(int typeId) => new() { ["SpecialToken"] = new JsonObject { ["id"] = bos, ["type_id"] = typeId } };
        JsonObject Sequence(string id, int typeId) => new() { ["Sequence"] = new JsonObject { ["id"] = id, ["type_id"] = typeId } };
        return new JsonObject
        {
            ["type"] = "Sequence",
            ["processors"] = new JsonArray(
                new JsonObject { ["type"] = "ByteLevel", ["add_prefix_space"] = true, ["trim_offsets"] = false, ["use_regex"] = true },
                new JsonObject
                {
                    ["type"] = "TemplateProcessing",
                    ["single"] = new JsonArray(Special(0), Sequence("A", 0)),
                    ["pair"] = new JsonArray(Special(0), Sequence("A", 0), Special(1), Sequence("B", 1)),
                    ["special_tokens"] = new JsonObject
                    {
                        [bos] = new JsonObject { ["id"] = bos, ["ids"] = new JsonArray(vocabulary.SpecialId(bos)), ["tokens"] = new JsonArray(bos) },
                    },
                }),
        };
    }

    private static JsonObject TokenizerConfig(ByteLevelBpeVocabulary vocabulary, string processorClass)
    {
        var convention = vocabulary.Convention;
        return new JsonObject
        {
            ["added_tokens_decoder"] = new JsonObject(convention.SpecialTokens.Select(token => KeyValuePair.Create(
                vocabulary.SpecialId(token).ToString(System.Globalization.CultureInfo.InvariantCulture),
                (JsonNode?)new JsonObject
                {
                    ["content"] = token,
                    ["lstrip"] = false,
                    ["normalized"] = false,
                    ["rstrip"] = false,
                    ["single_word"] = false,
                    ["special"] = true,
                }))),
            ["bos_token"] = convention.BosToken,
            ["eos_token"] = convention.EosToken,
            ["pad_token"] = convention.PadToken,
            ["unk_token"] = null,
            ["chat_template"] = convention.ChatTemplate,
            ["clean_up_tokenization_spaces"] = false,
            ["model_input_names"] = new JsonArray("input_ids", "attention_mask"),
            ["model_max_length"] = convention.ModelMaxLength,
            ["processor_class"] = processorClass,
            ["tokenizer_class"] = convention.TokenizerClass,
        };
    }

    private static JsonObject SpecialTokensMap(ByteLevelBpeConvention convention)
    {
        var map = new JsonObject();
        if (convention.BosToken is { } bos)
        {
            map["bos_token"] = bos;
        }

        map["eos_token"] = convention.EosToken;
        map["pad_token"] = convention.PadToken;
        return map;
    }

    private static JsonObject VocabularyObject(ByteLevelBpeVocabulary vocabulary) =>
        new(vocabulary.Tokens.Select((token, id) => KeyValuePair.Create(token, (JsonNode?)JsonValue.Create(id))));

    private static void Save(string path, JsonObject json) =>
        File.WriteAllText(path, json.ToJsonString(Json) + "\n", new UTF8Encoding(false));
}
