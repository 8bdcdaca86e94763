using Mining.Kernels.Model;

namespace Mining.Kernels.Tests.Parity;

/// <summary>
/// The runtime on a LLaVA-NeXT checkpoint (CLIP, LLaMA-3, byte-level BPE) against tests/fixtures/llava-next-tiny-ref:
/// [CLS] ranking, and the reference's NeXT pad embedding is row 0, not config's &lt;pad&gt; 647.
/// </summary>
public sealed class NextRuntimeParityTests(NextFixtureRuntime fixture, ITestOutputHelper output)
    : ReferenceParityTests<NextFixtureRuntime>(fixture, output)
{
    protected override ModelFamily Family => ModelFamily.Next;

    protected override string Ranking => "cls_similarity";

    protected override int PadTokenId => 0;
}
