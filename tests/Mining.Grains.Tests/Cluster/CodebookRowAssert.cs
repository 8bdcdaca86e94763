using Mining.Probe.Codebooks;

namespace Mining.Grains.Tests.Cluster;

/// <summary>Compares one codebook row with the row it should equal.</summary>
internal static class CodebookRowAssert
{
    /// <summary>Every field but the prototype id equal (the embedding float for float); versions renumber ids.</summary>
    public static void EqualApartFromId(CodebookEntry expected, CodebookEntry actual)
    {
        Assert.Equal(expected.Embedding, actual.Embedding);
        Assert.Equal(expected.SourceImageId, actual.SourceImageId);
        Assert.Equal(expected.ClusterId, actual.ClusterId);
        Assert.Equal(expected.ClusterUniqueImages, actual.ClusterUniqueImages);
        Assert.Equal(expected.Members, actual.Members);
    }
}
