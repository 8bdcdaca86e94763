namespace Mining.Client.Tests.Commands;

/// <summary>The CLI on the LLaVA-NeXT fixture (llava-next-tiny-ref): LLaMA-3's prompt starts with two <c>&lt;|begin_of_text|&gt;</c>, the pad embedding is row 0.</summary>
public sealed class NextCliParityTests(ITestOutputHelper output) : FamilyCliParityTests(output)
{
    private protected override ExpectedReference Expected => ExpectedReference.Next;

    protected override string Model => TestData.NextFixtureModel;

    protected override int Grid => 8;

    protected override string[] ParameterOptions => ["--pad-token-id", "0", "--top1-thres", "0.6763", "--jsd-thres", "0.01148"];

    protected override int[] PrefixStart => [636, 636];
}
