namespace Mining.Kernels.Text;

/// <summary>
/// How a model family's byte-level BPE <c>tokenizer.json</c> is set up: its split regex, normaliser, <c>ignore_merges</c>,
/// the BOS its post-processor adds, its special tokens and the <c>tokenizer_config.json</c> fields that name them.
/// </summary>
/// <remarks>
/// Values as Meta-Llama-3-8B-Instruct's and Qwen2's published tokenizer files have them (llava-next-tiny-ref and
/// llava-ov-tiny-ref keep the same conventions on a tiny vocabulary); the special tokens are the ones the reference's prompts
/// use plus llava-hf's <c>&lt;image&gt;</c> (and <c>&lt;pad&gt;</c> / <c>&lt;video&gt;</c>).
/// </remarks>
public sealed record ByteLevelBpeConvention
{
    /// <summary>LLaMA-3's split regex: contractions, letters with one leading non-letter, digits in groups of 1–3, punctuation runs, newlines, spaces.</summary>
    public const string Llama3SplitPattern =
        @"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+";

    /// <summary>Qwen2's split regex: LLaMA-3's with every digit on its own.</summary>
    public const string Qwen2SplitPattern =
        @"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+";

    /// <summary>LLaMA-3 (LLaVA-NeXT's llama3-llava-next-8b): no normaliser, <c>ignore_merges</c>, <c>&lt;|begin_of_text|&gt;</c> added by a <c>TemplateProcessing</c> post-processor.</summary>
    public static ByteLevelBpeConvention Llama3 { get; } = new()
    {
        Name = "llama3",
        SplitPattern = Llama3SplitPattern,
        Nfc = false,
        IgnoreMerges = true,
        SpecialTokens = ["<|begin_of_text|>", "<|end_of_text|>", "<|start_header_id|>", "<|end_header_id|>", "<|eot_id|>", "<image>", "<pad>"],
        BosToken = "<|begin_of_text|>",
        EosToken = "<|eot_id|>",
        PadToken = "<pad>",
        TokenizerClass = "PreTrainedTokenizerFast",
        ModelMaxLength = 8192,
        ChatTemplate =
            "{% set loop_messages = messages %}{% for message in loop_messages %}{% set content = '<|start_header_id|>' + message['role'] + " +
            "'<|end_header_id|>\n\n'+ message['content'] | trim + '<|eot_id|>' %}{% if loop.index0 == 0 %}{% set content = bos_token + content %}{% endif %}" +
            "{{ content }}{% endfor %}{% if add_generation_prompt %}{{ '<|start_header_id|>assistant<|end_header_id|>\n\n' }}{% endif %}",
    };

    /// <summary>Qwen2 (LLaVA-OneVision's llava-onevision-qwen2-*): NFC, merges always applied, no BOS; ships <c>vocab.json</c> and <c>merges.txt</c> too.</summary>
    public static ByteLevelBpeConvention Qwen2 { get; } = new()
    {
        Name = "qwen2",
        SplitPattern = Qwen2SplitPattern,
        Nfc = true,
        IgnoreMerges = false,
        SpecialTokens = ["<|endoftext|>", "<|im_start|>", "<|im_end|>", "<image>", "<video>"],
        BosToken = null,
        EosToken = "<|im_end|>",
        PadToken = "<|endoftext|>",
        TokenizerClass = "Qwen2Tokenizer",
        ModelMaxLength = 32768,
        ChatTemplate =
            "{% for message in messages %}{{'<|im_start|>' + message['role'] + '\n' + message['content'] + '<|im_end|>' + '\n'}}{% endfor %}" +
            "{% if add_generation_prompt %}{{ '<|im_start|>assistant\n' }}{% endif %}",
        ShipsVocabAndMerges = true,
    };

    /// <summary>A short name for messages ("llama3", "qwen2").</summary>
    public required string Name { get; init; }

    /// <summary>The <c>Split</c> pre-tokenizer's regex (behaviour "Isolated"), before the regex-free ByteLevel step.</summary>
    public required string SplitPattern { get; init; }

    /// <summary>Whether the normaliser is NFC (otherwise there is none).</summary>
    public bool Nfc { get; init; }

    /// <summary><c>model.ignore_merges</c>: a pre-token that is itself in the vocabulary is that one id.</summary>
    public bool IgnoreMerges { get; init; }

    /// <summary>The added tokens in id order, after the vocabulary's own.</summary>
    public required IReadOnlyList<string> SpecialTokens { get; init; }

    /// <summary>The token the post-processor puts before every encoding (<c>bos_token</c>); null: no BOS and a plain ByteLevel post-processor.</summary>
    public string? BosToken { get; init; }

    public required string EosToken { get; init; }

    public required string PadToken { get; init; }

    /// <summary><c>tokenizer_config.json</c>'s <c>tokenizer_class</c>.</summary>
    public required string TokenizerClass { get; init; }

    public int ModelMaxLength { get; init; }

    /// <summary><c>tokenizer_config.json</c>'s <c>chat_template</c> (informational: Mining renders its prompts itself).</summary>
    public required string ChatTemplate { get; init; }

    /// <summary>Whether the family also ships the slow tokenizer's <c>vocab.json</c> and <c>merges.txt</c> (Qwen2 does, LLaMA-3 does not).</summary>
    public bool ShipsVocabAndMerges { get; init; }
}
