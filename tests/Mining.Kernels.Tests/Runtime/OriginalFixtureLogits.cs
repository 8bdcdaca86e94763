namespace Mining.Kernels.Tests.Runtime;

/// <summary>The chelsea logits of the fixture checkpoint as stored (published layout, F32, one file), computed once per test class.</summary>
public sealed class OriginalFixtureLogits
{
    public float[][] Logits { get; } = ChelseaLogits.OfCheckpoint(TestData.FixtureModel);
}
