using Mining.Kernels.Text;

namespace Mining.Kernels.Experiments;

/// <summary>Turns <see cref="MiningParameters.SkipLeadingTokens"/> into the tokenizer's ids.</summary>
public static class SkipLeadingTokenIds
{
    /// <summary>
    /// The id of each token string (a raw piece such as "▁A"), in order; a string the tokenizer does not have raises
    /// <see cref="MiningParameterException"/> naming it, so a run is refused before any work.
    /// </summary>
    public static int[] Resolve(LlamaTextTokenizer tokenizer, IReadOnlyList<string> tokens)
    {
        ArgumentNullException.ThrowIfNull(tokenizer);
        ArgumentNullException.ThrowIfNull(tokens);
        if (tokens.Count == 0)
        {
            return [];
        }

        // First id per piece, as the tokenizer's own piece table resolves duplicates.
        var ids = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var id = tokenizer.VocabularySize - 1; id >= 0; id--)
        {
            ids[tokenizer.IdToPiece(id)] = id;
        }

        return tokens.Select(token => ids.TryGetValue(token, out var id)
            ? id
            : throw new MiningParameterException("--skip-leading-tokens", $"--skip-leading-tokens: '{token}' is not a token of this checkpoint's tokenizer")).ToArray();
    }
}
