using Mining.Probe.Codebooks;

namespace Mining.Client.Tests.Commands;

/// <summary>Two <c>mining mine</c> runs on the same images with the same options write the same codebook.</summary>
public sealed class MineDeterminismTests
{
    [Fact]
    public void Two_runs_write_identical_rows_ids_embeddings_bit_for_bit_sources_clusters_and_members()
    {
        var (first, second) = ReadBoth();
        Assert.NotEmpty(first.Entries);
        Assert.Equal(first.Count, second.Count);
        for (var row = 0; row < first.Count; row++)
        {
            var (a, b) = (first.Entries[row], second.Entries[row]);
            Assert.Equal(a.PrototypeId, b.PrototypeId);
            Assert.Equal(Bits(a.Embedding), Bits(b.Embedding));
            Assert.Equal(a.SourceImageId, b.SourceImageId);
            Assert.Equal(a.ClusterId, b.ClusterId);
            Assert.Equal(a.ClusterUniqueImages, b.ClusterUniqueImages);
            Assert.Equal(a.Members, b.Members);
        }
    }

    [Fact]
    public void Two_runs_record_identical_parameters_model_and_hidden_size()
    {
        var (first, second) = ReadBoth();
        Assert.Equal(first.Metadata.ParametersJson, second.Metadata.ParametersJson);
        Assert.Equal(first.Metadata.Model, second.Metadata.Model);
        Assert.Equal(first.Metadata.HiddenSize, second.Metadata.HiddenSize);
    }

    private static (Codebook First, Codebook Second) ReadBoth()
    {
        MineRun[] runs = [MineRuns.Clean, MineRuns.CleanAgain];
        Assert.All(runs, run => Assert.True(run.Result.ExitCode == 0, run.Result.Describe()));
        Assert.NotEqual(runs[0].Codebook, runs[1].Codebook);
        return (CodebookParquet.Read(runs[0].Codebook), CodebookParquet.Read(runs[1].Codebook));
    }

    // Compared as bit patterns so that -0 and 0, or two NaNs, are not taken for each other.
    private static int[] Bits(float[] values) => values.Select(BitConverter.SingleToInt32Bits).ToArray();
}
