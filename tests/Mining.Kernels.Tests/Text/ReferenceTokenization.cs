using System.Text.Json;

namespace Mining.Kernels.Tests.Text;

/// <summary>The tokenizer and prompt ids of a fixture's expected.json (llava-tiny-ref: HF's slow LlamaTokenizer; llava-next-tiny-ref: HF tokenizers' byte-level BPE).</summary>
internal sealed class ReferenceTokenization
{
    private static readonly Lazy<ReferenceTokenization> Llava15 = new(() => new ReferenceTokenization(TestData.Fixture));
    private static readonly Lazy<ReferenceTokenization> NextFixture = new(() => new ReferenceTokenization(TestData.NextFixture));
    private static readonly Lazy<ReferenceTokenization> OnevisionFixture = new(() => new ReferenceTokenization(TestData.OnevisionFixture));

    private readonly JsonElement expected;

    private ReferenceTokenization(string fixture)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(fixture, "expected.json")));
        expected = document.RootElement.Clone();
    }

    /// <summary>The LLaVA-NeXT fixture's tokenization.</summary>
    public static ReferenceTokenization Next => NextFixture.Value;

    /// <summary>The LLaVA-OneVision fixture's prompt and tokenizer checks (Qwen2 conventions).</summary>
    public static ReferenceTokenization Onevision => OnevisionFixture.Value;

    /// <summary>Each <c>tokenizer_checks</c> entry of llava-tiny-ref: text and its ids.</summary>
    public static IReadOnlyDictionary<string, int[]> Checks => Llava15.Value.TokenizerChecks;

    public static string ChunkBeforeImage => Llava15.Value.Before;

    public static string ChunkAfterImage => Llava15.Value.After;

    public static int[] PrefixIds => Llava15.Value.Prefix;

    public static int[] SuffixIds => Llava15.Value.Suffix;

    /// <summary>Each <c>tokenizer_checks</c> entry: text and its ids.</summary>
    public IReadOnlyDictionary<string, int[]> TokenizerChecks =>
        expected.GetProperty("tokenizer_checks").EnumerateArray()
            .ToDictionary(check => check.GetProperty("text").GetString()!, check => Ids(check.GetProperty("ids")));

    public string Before => Prompt.GetProperty("chunk_before_image").GetString()!;

    public string After => Prompt.GetProperty("chunk_after_image").GetString()!;

    public string FullPrompt => Prompt.GetProperty("full_prompt").GetString()!;

    public int[] Prefix => Ids(Prompt.GetProperty("prefix_ids"));

    public int[] Suffix => Ids(Prompt.GetProperty("suffix_ids"));

    /// <summary><c>model.tokenizer.special_ids</c>: content → id.</summary>
    public IReadOnlyDictionary<string, int> SpecialIds =>
        expected.GetProperty("model").GetProperty("tokenizer").GetProperty("special_ids").EnumerateObject()
            .ToDictionary(entry => entry.Name, entry => entry.Value.GetInt32());

    private JsonElement Prompt => expected.GetProperty("prompt");

    private static int[] Ids(JsonElement array) => [.. array.EnumerateArray().Select(id => id.GetInt32())];
}
