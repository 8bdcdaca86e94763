using System.Globalization;

namespace Mining.Grains.Artifacts;

/// <summary>The artifact store's key layout: one place that says where each kind of blob lives.</summary>
public static class ArtifactKeys
{
    /// <summary>Prefix of a job's per-image results.</summary>
    public static string ImageResultsPrefix(string jobId) => $"jobs/{jobId}/images/";

    /// <summary>One image's result: a single-image <c>ImageResultParquet</c> file, keyed by its dataset index.</summary>
    public static string ImageResult(string jobId, int index) => $"{ImageResultsPrefix(jobId)}{Index(index)}.parquet";

    /// <summary>Prefix of a job's stored candidate embeddings (the held-out tokens of the dedup impact report).</summary>
    public static string CandidatesPrefix(string jobId) => $"jobs/{jobId}/candidates/";

    /// <summary>One image's candidate embeddings as a float32 .npy [candidates, hidden].</summary>
    public static string Candidates(string jobId, int index) => $"{CandidatesPrefix(jobId)}{Index(index)}.npy";

    /// <summary>A codebook version as Parquet format v1.</summary>
    public static string CodebookVersion(string name, int version) =>
        $"codebooks/{name}/v{version.ToString(CultureInfo.InvariantCulture)}.parquet";

    /// <summary>The dataset index in a key made by <see cref="ImageResult"/> or <see cref="Candidates"/>.</summary>
    public static int IndexOf(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var name = key[(key.LastIndexOf('/') + 1)..];
        var dot = name.IndexOf('.', StringComparison.Ordinal);
        var stem = dot < 0 ? name : name[..dot];
        return int.TryParse(stem, NumberStyles.None, CultureInfo.InvariantCulture, out var index)
            ? index
            : throw new FormatException($"artifact key '{key}' does not end in a dataset index");
    }

    /// <summary>Every store's key rule: a relative '/'-separated path without empty, '.' or '..' segments, so no key escapes a folder root or aliases another; <see cref="ArgumentException"/> naming <paramref name="name"/> otherwise.</summary>
    public static void Check(string key, string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(key, name);
        if (key.Contains('\\') || key.Contains('\0'))
        {
            throw new ArgumentException($"artifact key '{key}' must use '/' as its only separator", name);
        }

        foreach (var segment in key.Split('/'))
        {
            if (segment.Length == 0 || segment == "." || segment == "..")
            {
                throw new ArgumentException($"artifact key '{key}' has an empty, '.' or '..' segment", name);
            }
        }
    }

    private static string Index(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        return index.ToString("D6", CultureInfo.InvariantCulture);
    }
}
