namespace Mining.Client.Tests;

/// <summary>One image of expected.json: its name, the logits with all visual tokens, and every token's experiment result.</summary>
internal sealed record ExpectedImage(string Name, double[] BaselineLogits, IReadOnlyList<TokenRow> Tokens)
{
    /// <summary>The fixture folder the image belongs to (llava-tiny-ref unless set).</summary>
    public string FixtureFolder { get; init; } = TestData.Fixture;

    public string Png => Path.Combine(FixtureFolder, "images", Name + ".png");

    public TokenRow Token(int tokenIndex) => Tokens.Single(t => t.TokenIndex == tokenIndex);
}
