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
    public static TokenRow Parse(JsonElement token) => new(
        token.GetProperty("token_index").GetInt32(),
        token.GetProperty("rank").GetInt32(),
        token.GetProperty("cls_similarity").GetDouble(),
        token.GetProperty("window").EnumerateArray().Select(e => e.GetInt32()).ToArray(),
        token.GetProperty("top1_prob").GetDouble(),
        token.GetProperty("jsd_region").GetDouble(),
        token.GetProperty("jsd_global").GetDouble(),
        token.GetProperty("redundant").GetBoolean());
}
