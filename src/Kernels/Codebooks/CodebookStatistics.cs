using Mining.Probe.Codebooks;

namespace Mining.Kernels.Codebooks;

/// <summary>A codebook's summary as <c>codebook info</c> prints it: its metadata, size and the spread of prototype norms.</summary>
/// <param name="Rows">Number of prototypes.</param>
/// <param name="HiddenSize">Embedding width D.</param>
/// <param name="FormatVersion">Parquet format version this code writes and reads.</param>
/// <param name="Model">Model id.</param>
/// <param name="CodebookVersion">Codebook version.</param>
/// <param name="JobIds">Jobs whose results went into it.</param>
/// <param name="ParametersJson">Mining parameters (JSON).</param>
/// <param name="CreatedUtc">When it was written.</param>
/// <param name="SourceImages">Distinct source image ids.</param>
/// <param name="MinNorm">Smallest L2 norm of an embedding (0 when there are no rows).</param>
/// <param name="MeanNorm">Mean L2 norm of the embeddings (0 when there are no rows).</param>
/// <param name="MaxNorm">Largest L2 norm of an embedding (0 when there are no rows).</param>
/// <param name="Family">Model family (<c>mining.family</c>); null when the file does not record one.</param>
/// <param name="Preset">Mining preset (<c>mining.preset</c>); null when the file does not record one.</param>
public sealed record CodebookStatistics(
    int Rows,
    int HiddenSize,
    string FormatVersion,
    string Model,
    int CodebookVersion,
    IReadOnlyList<string> JobIds,
    string ParametersJson,
    DateTimeOffset CreatedUtc,
    int SourceImages,
    double MinNorm,
    double MeanNorm,
    double MaxNorm,
    string? Family = null,
    string? Preset = null)
{
    /// <summary>Summarises <paramref name="codebook"/>; norms are accumulated in double precision.</summary>
    public static CodebookStatistics Of(Codebook codebook)
    {
        ArgumentNullException.ThrowIfNull(codebook);
        var norms = codebook.Entries.Select(e => Norm(e.Embedding)).ToArray();
        var metadata = codebook.Metadata;
        return new CodebookStatistics(
            codebook.Count,
            metadata.HiddenSize,
            metadata.FormatVersion,
            metadata.Model,
            metadata.CodebookVersion,
            metadata.JobIds,
            metadata.ParametersJson,
            metadata.CreatedUtc,
            codebook.Entries.Select(e => e.SourceImageId).Distinct(StringComparer.Ordinal).Count(),
            norms.Length == 0 ? 0 : norms.Min(),
            norms.Length == 0 ? 0 : norms.Average(),
            norms.Length == 0 ? 0 : norms.Max(),
            metadata.Family,
            metadata.Preset);
    }

    private static double Norm(float[] embedding)
    {
        var sum = 0.0;
        foreach (var v in embedding)
        {
            sum += (double)v * v;
        }

        return Math.Sqrt(sum);
    }
}
