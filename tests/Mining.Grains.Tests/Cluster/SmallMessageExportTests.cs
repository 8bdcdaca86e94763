using Mining.Grains.Codebooks;
using Mining.Grains.Contracts;

namespace Mining.Grains.Tests.Cluster;

/// <summary>Export of a codebook version larger than the cluster's message body limit.</summary>
public sealed class SmallMessageExportTests(SmallMessageCluster fixture) : IClassFixture<SmallMessageCluster>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private ICodebookGrain Codebook => fixture.Client.GetGrain<ICodebookGrain>(SmallMessageCluster.CodebookName);

    [Fact]
    public async Task A_version_larger_than_one_message_exports_in_chunks_identical_to_the_artifact()
    {
        var stored = await File.ReadAllBytesAsync(fixture.ArtifactPath, Ct);
        Assert.True(stored.Length > SmallMessageCluster.MaxMessageBodySize, $"the codebook has {stored.Length} bytes, not more than the {SmallMessageCluster.MaxMessageBodySize}-byte message limit");

        using var exported = new MemoryStream();
        var export = await Codebook.ExportToAsync(null, exported, Ct, chunkBytes: 64 * 1024);

        Assert.Equal((SmallMessageCluster.CodebookName, 1, (long)stored.Length), (export.Name, export.Version, export.Length));
        Assert.Equal(stored, exported.ToArray());
        var read = ClusterFixture.ReadCodebook(exported.ToArray());
        Assert.Equal(SmallMessageCluster.Prototypes, read.Count);
        Assert.Equal(fixture.Written.Entries[^1].Embedding, read.Entries[^1].Embedding);
    }

    [Fact]
    public async Task The_whole_version_in_one_message_is_refused_by_the_limit()
    {
        var length = (int)(await Codebook.OpenExport(1)).Length;
        Assert.True(length <= CodebookExport.MaxChunkBytes, $"the codebook has {length} bytes, more than one chunk may hold");

        // What Export did before chunks: so the limit the chunked export passes is a real one.
        await Assert.ThrowsAnyAsync<Exception>(() => Codebook.ReadExportChunk(1, 0, length));
    }
}
