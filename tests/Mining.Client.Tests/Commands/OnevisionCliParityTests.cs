namespace Mining.Client.Tests.Commands;

/// <summary>
/// The CLI on the LLaVA-OneVision fixture (llava-ov-tiny-ref): the ChatML prompt starts with <c>&lt;|im_start|&gt;</c> and
/// no BOS, tokens rank in token order (cls_similarity null), the pad embedding is <c>&lt;|endoftext|&gt;</c> (616).
/// </summary>
public sealed class OnevisionCliParityTests(ITestOutputHelper output) : FamilyCliParityTests(output)
{
    private protected override ExpectedReference Expected => ExpectedReference.Onevision;

    protected override string Model => TestData.OnevisionFixtureModel;

    protected override int Grid => 6;

    protected override string[] ParameterOptions => ["--pad-token-id", "616", "--top1-thres", "0.4389", "--jsd-thres", "0.1927"];

    protected override int[] PrefixStart => [617];
}
