using System.Text.Json;

namespace Mining.Client.Tests;

/// <summary>One token's experiment result; expected.json and <c>mining experiment --json</c> use the same snake_case fields.</summary>
internal sealed record TokenRow(
    int TokenIndex,
    int Rank,
    double ClsSimilarity,
    int[] Window,
    double Top1Prob,
    double JsdRegion,
    double JsdGlobal,
    bool Redundant)
{
    /// <summary>
    /// Which variants were measured after a skipped leading token, as single, window, window_center_padded,
    /// global_window_padded: expected.json's <c>lead_skipped</c> or the CLI's <c>skipped</c>; null where neither is given.
    /// </summary>
    public bool[]? Skipped { get; init; }

    public static TokenRow Parse(JsonElement token) => new TokenRow(
        token.GetProperty("token_index").GetInt32(),
        token.GetProperty("rank").GetInt32(),
        // Absent (expected.json) or null (the CLI) for a tower without [CLS].
        token.TryGetProperty("cls_similarity", out var similarity) && similarity.ValueKind == JsonValueKind.Number ? similarity.GetDouble() : double.NaN,
        token.GetProperty("window").EnumerateArray().Select(e => e.GetInt32()).ToArray(),
        token.GetProperty("top1_prob").GetDouble(),
        token.GetProperty("jsd_region").GetDouble(),
        token.GetProperty("jsd_global").GetDouble(),
        token.GetProperty("redundant").GetBoolean())
    {
        Skipped = token.TryGetProperty("lead_skipped", out var flags) || token.TryGetProperty("skipped", out flags)
            ? [.. new[] { "single", "window", "window_center_padded", "global_window_padded" }.Select(kind => flags.GetProperty(kind).GetBoolean())]
            : null,
    };
}
