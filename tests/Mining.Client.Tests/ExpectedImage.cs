namespace Mining.Client.Tests;

/// <summary>One image of expected.json: its name, the logits with all visual tokens, and every token's experiment result.</summary>
internal sealed record ExpectedImage(string Name, double[] BaselineLogits, IReadOnlyList<TokenRow> Tokens)
{
    public string Png => TestData.FixtureImage(Name + ".png");

    public TokenRow Token(int tokenIndex) => Tokens.Single(t => t.TokenIndex == tokenIndex);
}
