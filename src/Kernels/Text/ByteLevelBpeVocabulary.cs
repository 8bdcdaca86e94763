namespace Mining.Kernels.Text;

/// <summary>
/// A byte-level BPE vocabulary in the id order LLaMA-3's and Qwen2's files use: the 256 byte symbols in GPT-2's order
/// (ids 0…255, "!" first), the merged tokens in merge order, then the convention's special tokens as added tokens.
/// </summary>
/// <param name="Convention">The family's tokenizer conventions.</param>
/// <param name="Tokens">The vocabulary's own tokens by id, spelled in the byte alphabet.</param>
/// <param name="Merges">The merges in rank order.</param>
public sealed record ByteLevelBpeVocabulary(ByteLevelBpeConvention Convention, IReadOnlyList<string> Tokens, IReadOnlyList<(string Left, string Right)> Merges)
{
    /// <summary>Every id the tokenizer uses: the vocabulary's tokens and the added ones.</summary>
    public int Size => Tokens.Count + Convention.SpecialTokens.Count;

    /// <summary>The id of one of <see cref="ByteLevelBpeConvention.SpecialTokens"/>.</summary>
    public int SpecialId(string token)
    {
        var index = Convention.SpecialTokens.ToList().IndexOf(token);
        return index >= 0 ? Tokens.Count + index : throw new ArgumentException($"'{token}' is not a special token of the {Convention.Name} tokenizer", nameof(token));
    }

    /// <summary>The 256 byte symbols in the order of GPT-2's <c>bytes_to_unicode</c>: printable bytes stand for themselves and the others take U+0100 on, so that order is code-point order.</summary>
    public static IReadOnlyList<string> ByteSymbols { get; } =
        [.. Enumerable.Range(0, 256).Select(b => ByteLevelAlphabet.SymbolOf((byte)b)).Order().Select(c => c.ToString())];

    /// <summary>Learns up to <paramref name="maxMerges"/> merges from <paramref name="text"/> (<see cref="ByteLevelBpeTrainer"/>) and lays out the ids.</summary>
    public static ByteLevelBpeVocabulary Learn(ByteLevelBpeConvention convention, string text, int maxMerges)
    {
        ArgumentNullException.ThrowIfNull(convention);
        var merges = ByteLevelBpeTrainer.LearnMerges(text, convention.SplitPattern, convention.Nfc, maxMerges);
        var tokens = new List<string>(ByteSymbols);
        var known = new HashSet<string>(tokens, StringComparer.Ordinal);

        // Two merges can spell the same token ("ab"+"c", "a"+"bc"): it keeps the id of the first.
        foreach (var (left, right) in merges)
        {
            if (known.Add(left + right))
            {
                tokens.Add(left + right);
            }
        }

        if (convention.SpecialTokens.FirstOrDefault(known.Contains) is { } clash)
        {
            throw new ArgumentException($"the {convention.Name} special token '{clash}' is also a learned token", nameof(text));
        }

        return new ByteLevelBpeVocabulary(convention, tokens, merges);
    }
}
