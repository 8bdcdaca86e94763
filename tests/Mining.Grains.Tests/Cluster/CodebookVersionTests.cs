using Mining.Grains.Contracts;
using Mining.Kernels.Codebooks;
using Mining.Kernels.Datasets;
using Mining.Kernels.Experiments;
using Mining.Kernels.Model;
using Mining.Kernels.Pipeline;
using Mining.Probe.Codebooks;

namespace Mining.Grains.Tests.Cluster;

/// <summary>A second job into the same codebook makes version 2 and leaves version 1 as it was.</summary>
[Collection(ClusterCollection.Name)]
public sealed class CodebookVersionTests(ClusterFixture fixture)
{
    private ICodebookGrain Codebook => fixture.Client.GetGrain<ICodebookGrain>(ClusterFixture.ExtendedCodebook);

    [Fact]
    public async Task A_second_job_adds_its_new_prototypes_to_version_one_deduplicated()
    {
        await fixture.ExtensionAsync();
        var v1 = ClusterFixture.ReadCodebook(await ClusterFixture.ExportAsync(Codebook, 1));
        var v2 = ClusterFixture.ReadCodebook(await ClusterFixture.ExportAsync(Codebook, 2));
        var added = NewPrototypes(fixture.SecondImages);

        // A plain greedy dedup of version 1's rows followed by the second job's prototypes, cluster ids shifted past version 1's.
        var shift = v1.Entries.Max(e => e.ClusterId) + 1;
        var survivors = new List<CodebookEntry>();
        foreach (var row in v1.Entries.Concat(added.Select(p => p with { ClusterId = p.ClusterId + shift })))
        {
            var best = -1;
            var bestCosine = double.NegativeInfinity;
            for (var s = 0; s < survivors.Count; s++)
            {
                var cosine = Cosine(row.Embedding, survivors[s].Embedding);
                if (cosine > bestCosine)
                {
                    (best, bestCosine) = (s, cosine);
                }
            }

            if (best >= 0 && bestCosine >= ClusterFixture.Parameters.DedupCosine)
            {
                survivors[best] = survivors[best] with { Members = survivors[best].Members + row.Members };
            }
            else
            {
                survivors.Add(row with { PrototypeId = survivors.Count });
            }
        }

        Assert.NotEmpty(v1.Entries);
        Assert.NotEmpty(added);
        Assert.True(survivors.Count < v1.Count + added.Count, "the second job repeats an image, so some of its prototypes merge into version 1's");
        Assert.Equal(survivors.Count, v2.Count);
        for (var row = 0; row < survivors.Count; row++)
        {
            var (e, a) = (survivors[row], v2.Entries[row]);
            Assert.Equal(row, a.PrototypeId);
            CodebookRowAssert.EqualApartFromId(e, a);
        }
    }

    [Fact]
    public async Task Version_two_records_both_jobs()
    {
        await fixture.ExtensionAsync();

        var v2 = ClusterFixture.ReadCodebook(await ClusterFixture.ExportAsync(Codebook, null)).Metadata;
        Assert.Equal(2, v2.CodebookVersion);
        Assert.Equal(["extend-1", "extend-2"], v2.JobIds);
        Assert.Equal([1, 2], (await Codebook.GetVersions()).Select(v => v.Version));
    }

    [Fact]
    public async Task Version_one_exports_the_same_bytes_after_version_two_exists()
    {
        var before = await fixture.ExtensionAsync();

        Assert.Equal(before, await ClusterFixture.ExportAsync(Codebook, 1));
    }

    [Fact]
    public async Task An_export_chunk_past_the_grains_maximum_or_a_missing_version_is_refused_naming_the_codebook()
    {
        await fixture.ExtensionAsync();

        var tooBig = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Codebook.ReadExportChunk(1, 0, CodebookExport.MaxChunkBytes + 1));
        var missing = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Codebook.OpenExport(3));

        Assert.Contains($"codebook '{ClusterFixture.ExtendedCodebook}'", tooBig.Message, StringComparison.Ordinal);
        Assert.Contains("versions 1 to 2", missing.Message, StringComparison.Ordinal);
    }

    /// <summary>The job's prototypes before dedup, mined in this process with the Kernels' pipeline steps.</summary>
    private static IReadOnlyList<CodebookEntry> NewPrototypes(string images)
    {
        using var runtime = LlavaRuntime.Load(TestData.FixtureModel);
        var miner = new ImageMiner(runtime, ClusterFixture.Parameters, CandidateMode.All);
        var kept = ImageDataset.Open(images).Images
            .Select(image => miner.Mine(image).Result)
            .Where(r => r.Status == ImageStatus.Ok)
            .Select(r => new ImageKeptTokens(r.ImageId, r.KeptEmbeddings, r.KeptCount))
            .ToArray();
        return CodebookBuilder.Build(kept, ClusterFixture.Parameters, runtime.Config.Text.HiddenSize).Prototypes;
    }

    private static double Cosine(float[] a, float[] b)
    {
        double dot = 0, aa = 0, bb = 0;
        for (var i = 0; i < a.Length; i++)
        {
            dot += (double)a[i] * b[i];
            aa += (double)a[i] * a[i];
            bb += (double)b[i] * b[i];
        }

        return dot / (Math.Sqrt(aa) * Math.Sqrt(bb));
    }
}
