using Mining.Kernels.Experiments;
using Mining.Kernels.IO;
using Mining.Probe.Codebooks;

namespace Mining.Grains.Artifacts;

/// <summary>
/// Turns the Kernels' file formats into artifact bytes and back: one image's result (ImageResultParquet with a
/// single-element list), candidate embeddings (.npy float32) and codebooks (CodebookParquet v1).
/// </summary>
/// <remarks>
/// The formats are written to and read from memory streams; errors name the artifact key. These are blocking
/// calls: run them on the executor, not on a grain.
/// </remarks>
public static class ArtifactCodec
{
    /// <summary>One image's result as a single-row-group Parquet file.</summary>
    public static byte[] EncodeImageResult(ImageResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        using var stream = new MemoryStream();
        ImageResultParquet.WriteAsync([result], stream).GetAwaiter().GetResult();
        return stream.ToArray();
    }

    /// <summary>Reads <see cref="EncodeImageResult"/>'s bytes; <paramref name="key"/> names the artifact in errors.</summary>
    public static ImageResult DecodeImageResult(byte[] bytes, string key)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        using var stream = new MemoryStream(bytes, writable: false);
        var results = ImageResultParquet.ReadAsync(stream, key).GetAwaiter().GetResult();
        return results.Count == 1
            ? results[0]
            : throw new InvalidDataException($"artifact '{key}' holds {results.Count} image results, expected exactly 1");
    }

    /// <summary>Candidate embeddings (row-major count×hidden) as a float32 .npy array [count, hidden].</summary>
    public static byte[] EncodeCandidates(float[] embeddings, int count, int hidden)
    {
        ArgumentNullException.ThrowIfNull(embeddings);
        var array = NpyArray.FromFloat32(embeddings, count, hidden);
        using var stream = new MemoryStream();
        NpyFile.Write(stream, array);
        return stream.ToArray();
    }

    /// <summary>Reads <see cref="EncodeCandidates"/>'s bytes: the embeddings and their row count.</summary>
    public static (float[] Embeddings, int Count) DecodeCandidates(byte[] bytes, string key, int hidden)
    {
        var array = NpyFile.Parse(bytes, key);
        if (array.Shape.Length != 2 || array.Shape[1] != hidden)
        {
            throw new InvalidDataException($"artifact '{key}' has shape [{string.Join(", ", array.Shape)}], expected [count, {hidden}]");
        }

        return (array.ToFloat32(), array.Shape[0]);
    }

    /// <summary>A codebook as Parquet format v1.</summary>
    public static byte[] EncodeCodebook(Codebook codebook)
    {
        ArgumentNullException.ThrowIfNull(codebook);
        using var stream = new MemoryStream();
        CodebookParquet.WriteAsync(codebook, stream).GetAwaiter().GetResult();
        return stream.ToArray();
    }

    /// <summary>Reads a Parquet v1 codebook; <paramref name="key"/> names the artifact in errors.</summary>
    public static Codebook DecodeCodebook(byte[] bytes, string key = "codebook")
    {
        ArgumentNullException.ThrowIfNull(bytes);
        using var stream = new MemoryStream(bytes, writable: false);
        return CodebookParquet.ReadAsync(stream, key).GetAwaiter().GetResult();
    }
}
