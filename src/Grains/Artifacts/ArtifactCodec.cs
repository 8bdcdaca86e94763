using Mining.Kernels.Experiments;
using Mining.Kernels.IO;
using Mining.Probe.Codebooks;

namespace Mining.Grains.Artifacts;

/// <summary>
/// Turns the Kernels' file formats into artifact bytes and back: one image's result (ImageResultParquet with a
/// single-element list), candidate embeddings (.npy float32) and codebooks (CodebookParquet v1).
/// </summary>
/// <remarks>
/// The Kernels' writers and readers work on paths (they write atomically through a temporary file), so the bytes
/// pass through a private scratch file. These are blocking calls: run them on the executor, not on a grain.
/// </remarks>
public static class ArtifactCodec
{
    /// <summary>One image's result as a single-row-group Parquet file.</summary>
    public static byte[] EncodeImageResult(ImageResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return ThroughFile(".parquet", path => ImageResultParquet.Write([result], path));
    }

    /// <summary>Reads <see cref="EncodeImageResult"/>'s bytes; <paramref name="key"/> names the artifact in errors.</summary>
    public static ImageResult DecodeImageResult(byte[] bytes, string key)
    {
        var results = FromFile(bytes, ".parquet", ImageResultParquet.Read);
        return results.Count == 1
            ? results[0]
            : throw new InvalidDataException($"artifact '{key}' holds {results.Count} image results, expected exactly 1");
    }

    /// <summary>Candidate embeddings (row-major count×hidden) as a float32 .npy array [count, hidden].</summary>
    public static byte[] EncodeCandidates(float[] embeddings, int count, int hidden)
    {
        ArgumentNullException.ThrowIfNull(embeddings);
        var array = NpyArray.FromFloat32(embeddings, count, hidden);
        return ThroughFile(".npy", path => NpyFile.Write(path, array));
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
        return ThroughFile(".parquet", path => CodebookParquet.Write(codebook, path));
    }

    /// <summary>Reads a Parquet v1 codebook.</summary>
    public static Codebook DecodeCodebook(byte[] bytes) => FromFile(bytes, ".parquet", CodebookParquet.Read);

    private static byte[] ThroughFile(string extension, Action<string> write)
    {
        var path = ScratchPath(extension);
        try
        {
            write(path);
            return File.ReadAllBytes(path);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static T FromFile<T>(byte[] bytes, string extension, Func<string, T> read)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        var path = ScratchPath(extension);
        try
        {
            File.WriteAllBytes(path, bytes);
            return read(path);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static string ScratchPath(string extension)
    {
        var folder = Path.Combine(Path.GetTempPath(), "mining-artifacts");
        Directory.CreateDirectory(folder);
        return Path.Combine(folder, Guid.NewGuid().ToString("N") + extension);
    }
}
