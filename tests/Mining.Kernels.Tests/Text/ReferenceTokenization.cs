using System.Text.Json;

namespace Mining.Kernels.Tests.Text;

/// <summary>The tokenizer and prompt ids of the fixture's expected.json (computed with HF's slow LlamaTokenizer).</summary>
internal static class ReferenceTokenization
{
    private static readonly Lazy<JsonElement> Expected = new(() =>
    {
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(TestData.Fixture, "expected.json")));
        return document.RootElement.Clone();
    });

    /// <summary>Each <c>tokenizer_checks</c> entry: text and its ids.</summary>
    public static IReadOnlyDictionary<string, int[]> Checks =>
        Expected.Value.GetProperty("tokenizer_checks").EnumerateArray()
            .ToDictionary(check => check.GetProperty("text").GetString()!, check => Ids(check.GetProperty("ids")));

    public static string ChunkBeforeImage => Prompt.GetProperty("chunk_before_image").GetString()!;

    public static string ChunkAfterImage => Prompt.GetProperty("chunk_after_image").GetString()!;

    public static int[] PrefixIds => Ids(Prompt.GetProperty("prefix_ids"));

    public static int[] SuffixIds => Ids(Prompt.GetProperty("suffix_ids"));

    private static JsonElement Prompt => Expected.Value.GetProperty("prompt");

    private static int[] Ids(JsonElement array) => [.. array.EnumerateArray().Select(id => id.GetInt32())];
}
