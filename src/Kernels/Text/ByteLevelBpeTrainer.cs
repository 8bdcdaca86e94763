using System.Text;
using System.Text.RegularExpressions;

namespace Mining.Kernels.Text;

/// <summary>Learns the merges of a small byte-level BPE vocabulary from a text, deterministically.</summary>
/// <remarks>
/// The classic pair-counting trainer (Sennrich et al., 2016; HF tokenizers' <c>BpeTrainer</c> works the same way): split the text into pre-tokens
/// with the family's regex, spell each in GPT-2's byte alphabet, then repeatedly merge the adjacent pair that occurs most
/// often, counting each pre-token as often as it occurs. Ties go to the ordinally smaller pair, so the same text always
/// gives the same merges on every machine. A pair that occurs once is still merged, so the text's own words end up whole.
/// </remarks>
public static class ByteLevelBpeTrainer
{
    /// <summary>Up to <paramref name="maxMerges"/> merges, in rank order, of <paramref name="text"/> split by <paramref name="splitPattern"/> (after NFC when <paramref name="nfc"/>).</summary>
    public static IReadOnlyList<(string Left, string Right)> LearnMerges(string text, string splitPattern, bool nfc, int maxMerges)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(splitPattern);
        ArgumentOutOfRangeException.ThrowIfNegative(maxMerges);
        var words = PreTokenCounts(nfc ? text.Normalize(NormalizationForm.FormC) : text, new Regex(splitPattern, RegexOptions.CultureInvariant))
            .OrderBy(pair => pair.Key, StringComparer.Ordinal)
            .Select(pair => (Symbols: pair.Key.Select(c => c.ToString()).ToList(), Count: pair.Value))
            .ToList();

        var merges = new List<(string Left, string Right)>();
        while (merges.Count < maxMerges)
        {
            var pairs = new Dictionary<(string Left, string Right), int>();
            foreach (var (symbols, count) in words)
            {
                for (var i = 0; i + 1 < symbols.Count; i++)
                {
                    pairs[(symbols[i], symbols[i + 1])] = pairs.GetValueOrDefault((symbols[i], symbols[i + 1])) + count;
                }
            }

            if (pairs.Count == 0)
            {
                break;
            }

            var best = pairs
                .OrderByDescending(pair => pair.Value)
                .ThenBy(pair => pair.Key.Left, StringComparer.Ordinal)
                .ThenBy(pair => pair.Key.Right, StringComparer.Ordinal)
                .First().Key;
            merges.Add(best);
            foreach (var (symbols, _) in words)
            {
                Merge(symbols, best);
            }
        }

        return merges;
    }

    /// <summary>The text's pre-tokens (regex matches and the stretches between them, as HF's "Isolated" split keeps both), spelled in the byte alphabet, with how often each occurs.</summary>
    private static Dictionary<string, int> PreTokenCounts(string text, Regex split)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        void Count(string piece)
        {
            if (piece.Length > 0)
            {
                var spelled = ByteLevelAlphabet.Encode(piece);
                counts[spelled] = counts.GetValueOrDefault(spelled) + 1;
            }
        }

        var position = 0;
        foreach (Match match in split.Matches(text))
        {
            if (match.Length == 0)
            {
                continue;
            }

            Count(text[position..match.Index]);
            Count(match.Value);
            position = match.Index + match.Length;
        }

        Count(text[position..]);
        return counts;
    }

    /// <summary>Replaces every occurrence of the pair in <paramref name="symbols"/>, left to right, without overlap.</summary>
    private static void Merge(List<string> symbols, (string Left, string Right) pair)
    {
        for (var i = 0; i + 1 < symbols.Count; i++)
        {
            if (symbols[i] == pair.Left && symbols[i + 1] == pair.Right)
            {
                symbols[i] = pair.Left + pair.Right;
                symbols.RemoveAt(i + 1);
            }
        }
    }
}
