using Mining.Kernels.Tests.Experiments;
using Mining.Kernels.Tests.Text;

namespace Mining.Kernels.Tests.Parity;

/// <summary>The LLaVA-OneVision fixture checkpoint (llava-ov-tiny-ref) loaded once for a test class.</summary>
public sealed class OnevisionFixtureRuntime() : ReferenceFixtureRuntime(TestData.OnevisionFixture)
{
    internal override ExpectedExperiments Expected => ExpectedExperiments.Onevision;

    internal override ReferenceTokenization Tokenization => ReferenceTokenization.Onevision;
}
