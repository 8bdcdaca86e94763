using Mining.Kernels.Text;

namespace Mining.Kernels.Experiments;

/// <summary>Turns <see cref="MiningParameters.SkipLeadingTokens"/> into the tokenizer's ids.</summary>
public static class SkipLeadingTokenIds
{
    /// <summary>
    /// The id of each token string (a raw piece such as "▁A"), in order; a string the tokenizer does not have raises
    /// <see cref="MiningParameterException"/> naming it, so a run is refused before any work.
    /// </summary>
    public static int[] Resolve(ITextTokenizer tokenizer, IReadOnlyList<string> tokens)
    {
        ArgumentNullException.ThrowIfNull(tokenizer);
        ArgumentNullException.ThrowIfNull(tokens);
        return tokens.Select(token => tokenizer.TokenId(token)
            ?? throw new MiningParameterException("--skip-leading-tokens", Unknown(tokenizer, token))).ToArray();
    }

    // LLaVA-1.5's "▁A", given explicitly or through its preset, on a byte-level-BPE checkpoint: say what to pass.
    private static string Unknown(ITextTokenizer tokenizer, string token) =>
        $"--skip-leading-tokens: '{token}' is not a token of this checkpoint's tokenizer"
        + (tokenizer.DefaultSkipLeadingTokens.Count == 0 ? " (its family measures the first position: pass --skip-leading-tokens none)" : "");
}
