using Mining.Kernels.Model;

namespace Mining.Kernels.Tests.Parity;

/// <summary>
/// The runtime on a LLaVA-OneVision checkpoint (SigLIP, Qwen2 with q/k/v biases, byte-level BPE, ChatML) against
/// tests/fixtures/llava-ov-tiny-ref: no [CLS], so tokens rank in token order; the pad embedding is
/// <c>&lt;|endoftext|&gt;</c>'s row (616 in the tiny vocabulary).
/// </summary>
public sealed class OnevisionRuntimeParityTests(OnevisionFixtureRuntime fixture, ITestOutputHelper output)
    : ReferenceParityTests<OnevisionFixtureRuntime>(fixture, output)
{
    protected override ModelFamily Family => ModelFamily.Onevision;

    protected override string Ranking => "token_order";

    protected override int PadTokenId => 616;
}
