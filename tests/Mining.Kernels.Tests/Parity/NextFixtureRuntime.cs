using Mining.Kernels.Tests.Experiments;
using Mining.Kernels.Tests.Text;

namespace Mining.Kernels.Tests.Parity;

/// <summary>The LLaVA-NeXT fixture checkpoint (llava-next-tiny-ref) loaded once for a test class.</summary>
public sealed class NextFixtureRuntime() : ReferenceFixtureRuntime(TestData.NextFixture)
{
    internal override ExpectedExperiments Expected => ExpectedExperiments.Next;

    internal override ReferenceTokenization Tokenization => ReferenceTokenization.Next;
}
