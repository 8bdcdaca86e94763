using Mining.Kernels.Clustering;
using Mining.Kernels.Experiments;
using Mining.Probe.Codebooks;

namespace Mining.Kernels.Codebooks;

/// <summary>The context-independent condition of ARCHITECTURE §1: pooled kept tokens → redundant prototypes.</summary>
public static class CodebookBuilder
{
    /// <summary>
    /// Pools the kept tokens of all <paramref name="images"/> in the order given, clusters them with DPC-kNN into
    /// <see cref="MiningParameters.PrototypeClusters"/> clusters (k = <see cref="MiningParameters.DpcKnnK"/>), and
    /// makes every member of a cluster whose tokens come from more than
    /// <see cref="MiningParameters.MinUniqueImages"/> distinct images a prototype. Deterministic: the same images in
    /// the same order give the same prototypes. An image id given twice is an error, since its tokens would count twice.
    /// </summary>
    public static CodebookBuildResult Build(IEnumerable<ImageKeptTokens> images, MiningParameters p, int hidden)
    {
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(p);
        ArgumentOutOfRangeException.ThrowIfLessThan(hidden, 1);
        p.Validate();

        var imageIds = new HashSet<string>(StringComparer.Ordinal);
        var list = images.ToList();
        foreach (var image in list)
        {
            Check(image, hidden, imageIds);
        }

        var n = list.Sum(image => image.Count);
        var pooled = new float[(long)n * hidden];
        var sources = new string[n];
        var offset = 0;
        foreach (var image in list)
        {
            image.Embeddings.CopyTo(pooled, (long)offset * hidden);
            Array.Fill(sources, image.ImageId, offset, image.Count);
            offset += image.Count;
        }

        var clustering = DpcKnn.Cluster(pooled, n, hidden, p.PrototypeClusters, p.DpcKnnK);
        var members = new List<int>[clustering.ClusterCount];
        for (var c = 0; c < members.Length; c++)
        {
            members[c] = [];
        }

        for (var i = 0; i < n; i++)
        {
            members[clustering.Assignment[i]].Add(i);
        }

        var clusters = new List<PrototypeCluster>(members.Length);
        var prototypes = new List<CodebookEntry>();
        for (var c = 0; c < members.Length; c++)
        {
            var uniqueImages = members[c].Select(i => sources[i]).Distinct(StringComparer.Ordinal).Count();
            var kept = uniqueImages > p.MinUniqueImages;
            clusters.Add(new PrototypeCluster(c, clustering.Centres[c], members[c].Count, uniqueImages, kept));
            if (!kept)
            {
                continue;
            }

            foreach (var i in members[c])
            {
                var embedding = pooled.AsSpan(i * hidden, hidden).ToArray();
                prototypes.Add(new CodebookEntry(prototypes.Count, embedding, sources[i], c, uniqueImages, Members: 1));
            }
        }

        return new CodebookBuildResult(prototypes, list.Count, n, clusters);
    }

    private static void Check(ImageKeptTokens image, int hidden, HashSet<string> imageIds)
    {
        if (image is null)
        {
            throw new ArgumentException("images holds a null entry", "images");
        }

        if (string.IsNullOrEmpty(image.ImageId))
        {
            throw new ArgumentException("images holds an entry with an empty ImageId", "images");
        }

        if (image.Embeddings is null || image.Count < 0 || image.Embeddings.Length != (long)image.Count * hidden)
        {
            throw new ArgumentException(
                $"image '{image.ImageId}': Embeddings holds {image.Embeddings?.Length ?? 0} values, expected Count·hidden = {image.Count}·{hidden}",
                "images");
        }

        if (!imageIds.Add(image.ImageId))
        {
            throw new ArgumentException($"image '{image.ImageId}' is given twice; its tokens would count twice", "images");
        }
    }
}
