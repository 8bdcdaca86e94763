using Mining.Kernels.Codebooks;
using Mining.Kernels.Experiments;

namespace Mining.Kernels.Tests.Codebooks;

public sealed class CodebookBuilderTests
{
    private const int Hidden = 4;

    [Theory]
    [InlineData(3, false)]
    [InlineData(4, true)]
    public void A_cluster_needs_more_than_min_unique_images_to_become_prototypes(int groupImages, bool keptExpected)
    {
        // Group Y (around 5) comes from groupImages images, two tokens each; group X (around 0) from 6 images.
        var images = new List<ImageKeptTokens>();
        var random = new Random(4);
        for (var m = 0; m < 6; m++)
        {
            images.Add(Image($"x{m}", random, 0f, 0f));
        }

        for (var m = 0; m < groupImages; m++)
        {
            images.Insert(2 * m, Image($"y{m}", random, 5f, 5f));
        }

        var parameters = new MiningParameters { PrototypeClusters = 2, MinUniqueImages = 3, DpcKnnK = 2 };

        var result = CodebookBuilder.Build(images, parameters, Hidden);

        var yPrototypes = result.Prototypes.Where(p => p.SourceImageId.StartsWith('y')).ToList();
        var xPrototypes = result.Prototypes.Where(p => p.SourceImageId.StartsWith('x')).ToList();
        Assert.Equal(keptExpected ? 2 * groupImages : 0, yPrototypes.Count);
        Assert.Equal(12, xPrototypes.Count);
        Assert.All(yPrototypes, p => Assert.Equal(groupImages, p.ClusterUniqueImages));
        Assert.All(xPrototypes, p => Assert.Equal(6, p.ClusterUniqueImages));
        Assert.Equal(2, result.Clusters.Count);
        Assert.Equal(keptExpected ? 2 : 1, result.KeptClusterCount);
        Assert.Equal(12 + (2 * groupImages), result.PooledCount);
    }

    [Fact]
    public void Prototypes_are_numbered_by_cluster_then_pooled_order_and_carry_their_provenance()
    {
        var random = new Random(5);
        var images = new List<ImageKeptTokens>();
        for (var m = 0; m < 5; m++)
        {
            // Each image holds one token of each group, so pooled order interleaves the groups.
            var a = Image($"img{m}", random, 0f, 5f);
            images.Add(a);
        }

        var parameters = new MiningParameters { PrototypeClusters = 2, MinUniqueImages = 4, DpcKnnK = 2 };

        var result = CodebookBuilder.Build(images, parameters, Hidden);

        Assert.Equal(10, result.Prototypes.Count);
        Assert.Equal(Enumerable.Range(0, 10), result.Prototypes.Select(p => p.PrototypeId));
        Assert.All(result.Prototypes, p => Assert.Equal(1, p.Members));
        Assert.All(result.Prototypes, p => Assert.Equal(5, p.ClusterUniqueImages));

        // Cluster 0's five members first, each group in pooled order (image 0..4).
        var firstCluster = result.Prototypes.Take(5).ToList();
        var secondCluster = result.Prototypes.Skip(5).ToList();
        Assert.All(firstCluster, p => Assert.Equal(0, p.ClusterId));
        Assert.All(secondCluster, p => Assert.Equal(1, p.ClusterId));
        Assert.Equal(["img0", "img1", "img2", "img3", "img4"], firstCluster.Select(p => p.SourceImageId));
        Assert.Equal(["img0", "img1", "img2", "img3", "img4"], secondCluster.Select(p => p.SourceImageId));
        var firstRow = firstCluster[0].Embedding[0] < 2.5f ? 0 : 1;
        for (var m = 0; m < 5; m++)
        {
            Assert.Equal(images[m].Embeddings.AsSpan(firstRow * Hidden, Hidden).ToArray(), firstCluster[m].Embedding);
            Assert.Equal(images[m].Embeddings.AsSpan((1 - firstRow) * Hidden, Hidden).ToArray(), secondCluster[m].Embedding);
        }
    }

    [Fact]
    public void Two_builds_of_the_same_images_give_identical_entries()
    {
        var images = RandomImages(seed: 6, imageCount: 30, hidden: 64);
        var parameters = new MiningParameters { PrototypeClusters = 8, MinUniqueImages = 2 };

        var first = CodebookBuilder.Build(images, parameters, 64);
        var second = CodebookBuilder.Build(images, parameters, 64);

        Assert.NotEmpty(first.Prototypes);
        Assert.Equal(first.Prototypes.Count, second.Prototypes.Count);
        for (var i = 0; i < first.Prototypes.Count; i++)
        {
            var (a, b) = (first.Prototypes[i], second.Prototypes[i]);
            Assert.Equal((a.PrototypeId, a.SourceImageId, a.ClusterId, a.ClusterUniqueImages, a.Members), (b.PrototypeId, b.SourceImageId, b.ClusterId, b.ClusterUniqueImages, b.Members));
            Assert.Equal(a.Embedding, b.Embedding);
        }

        Assert.Equal(first.Clusters, second.Clusters);
    }

    [Fact]
    public void No_images_give_no_prototypes()
    {
        var result = CodebookBuilder.Build([], new MiningParameters(), Hidden);

        Assert.Empty(result.Prototypes);
        Assert.Equal(0, result.PooledCount);
    }

    [Fact]
    public void An_image_given_twice_is_rejected_with_its_id()
    {
        var random = new Random(7);
        ImageKeptTokens[] images = [Image("dup", random, 0f, 0f), Image("dup", random, 0f, 0f)];

        var error = Assert.Throws<ArgumentException>(() => CodebookBuilder.Build(images, new MiningParameters(), Hidden));

        Assert.Contains("'dup'", error.Message);
    }

    [Fact]
    public void Embeddings_of_the_wrong_length_are_rejected_with_the_image_id()
    {
        ImageKeptTokens[] images = [new("short", new float[7], 2)];

        var error = Assert.Throws<ArgumentException>(() => CodebookBuilder.Build(images, new MiningParameters(), Hidden));

        Assert.Contains("'short'", error.Message);
    }

    /// <summary>An image with two tokens: one near <paramref name="first"/>·1, one near <paramref name="second"/>·1 (±0.05 noise).</summary>
    private static ImageKeptTokens Image(string id, Random random, float first, float second)
    {
        var embeddings = new float[2 * Hidden];
        for (var c = 0; c < embeddings.Length; c++)
        {
            var centre = c < Hidden ? first : second;
            embeddings[c] = centre + (float)((random.NextDouble() - 0.5) * 0.1);
        }

        return new ImageKeptTokens(id, embeddings, 2);
    }

    private static List<ImageKeptTokens> RandomImages(int seed, int imageCount, int hidden)
    {
        var random = new Random(seed);
        var images = new List<ImageKeptTokens>();
        for (var m = 0; m < imageCount; m++)
        {
            var count = random.Next(0, 12);
            var embeddings = new float[count * hidden];
            for (var i = 0; i < embeddings.Length; i++)
            {
                embeddings[i] = (float)((random.NextDouble() * 2) - 1);
            }

            images.Add(new ImageKeptTokens($"image-{m}", embeddings, count));
        }

        return images;
    }
}
