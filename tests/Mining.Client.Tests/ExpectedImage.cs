namespace Mining.Client.Tests;

/// <summary>One image of expected.json: its name, the logits with all visual tokens, and every token's experiment result.</summary>
internal sealed record ExpectedImage(string Name, double[] BaselineLogits, IReadOnlyList<TokenRow> Tokens)
{
    /// <summary>The fixture folder the image belongs to.</summary>
    public string Folder { get; init; } = TestData.Fixture;

    /// <summary>Whether the fixture measured the baseline after a skipped leading token (llava-tiny-skip-ref only).</summary>
    public bool BaselineLeadSkipped { get; init; }

    public string Png => Path.Combine(Folder, "images", Name + ".png");

    public TokenRow Token(int tokenIndex) => Tokens.Single(t => t.TokenIndex == tokenIndex);
}
