using System.Text.Json;
using Mining.Kernels.Experiments;
using Mining.Kernels.IO;
using Mining.Kernels.Model;
using Mining.Probe.Codebooks;

namespace Mining.Kernels.Codebooks;

/// <summary>
/// Turns a codebook saved as an array — NumPy <c>.npy</c>, or the PyTorch file the reference released — into a
/// <see cref="Codebook"/>, recording the model family and mining preset it belongs to when they are known.
/// </summary>
public static partial class CodebookImport
{
    /// <summary>Codebook version given to an imported codebook.</summary>
    public const int ImportedVersion = 1;

    /// <summary>
    /// Imports the float16 or float32 array [rows, D] in <paramref name="npyPath"/> (.npy v1/v2/v3, C order). Row i
    /// becomes prototype i with the embedding widened exactly to float32. Its source image id is element i of the
    /// JSON array of strings in <paramref name="sourceIdsJsonPath"/> (one per row), or <c>row-&lt;i&gt;</c> when no
    /// ids file is given. What an .npy does not record is marked unknown: <c>cluster_id</c> −1,
    /// <c>cluster_unique_images</c> 0; <c>members</c> is 1 (no dedup merged anything). The parameters JSON records
    /// only where the rows came from: <c>{"imported_from": "&lt;file name&gt;"}</c>; no job ids. With a
    /// <paramref name="family"/>, the metadata records it and <paramref name="preset"/> (by default the family's
    /// preset, <see cref="MiningPreset.DefaultFor"/>); without one, neither.
    /// </summary>
    /// <exception cref="InvalidDataException">
    /// The .npy is malformed, not 2-D, not float16/float32, holds a non-finite value or has no rows or columns; or the
    /// ids file is not a JSON array of strings with one per row. The message names the file.
    /// </exception>
    /// <exception cref="ArgumentException">A preset is given without a family, or is not a name.</exception>
    public static Codebook FromNpy(string npyPath, string? sourceIdsJsonPath, string modelId, ModelFamily? family = null, string? preset = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(npyPath);
        ArgumentException.ThrowIfNullOrWhiteSpace(modelId);
        RequirePreset(family, preset);
        return FromArray(NpyFile.Read(npyPath), npyPath, sourceIdsJsonPath, modelId, family, preset);
    }

    /// <summary>
    /// Imports the tensor [rows, D] that <c>torch.save</c> wrote to <paramref name="ptPath"/> (the reference releases
    /// its codebooks this way: one float16 tensor), read by <see cref="TorchTensorFile"/> without PyTorch; otherwise as
    /// <see cref="FromNpy"/>.
    /// </summary>
    /// <exception cref="InvalidDataException">The file is not one tensor saved by torch.save, or the tensor or ids fail <see cref="FromNpy"/>'s checks.</exception>
    /// <exception cref="ArgumentException">A preset is given without a family, or is not a name.</exception>
    public static Codebook FromTorch(string ptPath, string? sourceIdsJsonPath, string modelId, ModelFamily? family = null, string? preset = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(ptPath);
        ArgumentException.ThrowIfNullOrWhiteSpace(modelId);
        RequirePreset(family, preset);
        return FromArray(TorchTensorFile.Read(ptPath), ptPath, sourceIdsJsonPath, modelId, family, preset);
    }

    private static void RequirePreset(ModelFamily? family, string? preset)
    {
        if (preset is null)
        {
            return;
        }

        if (family is null)
        {
            throw new ArgumentException($"preset '{preset}' needs the codebook's model family; give the family too", nameof(preset));
        }

        if (!MiningPreset.All.Any(known => known.Name == preset))
        {
            throw new ArgumentException(MiningPreset.Unknown(preset), nameof(preset));
        }
    }

    private static Codebook FromArray(NpyArray array, string path, string? sourceIdsJsonPath, string modelId, ModelFamily? family, string? preset)
    {
        if (array.Shape.Length != 2)
        {
            throw new InvalidDataException(
                $"{path}: a codebook must be a 2-D array [rows, hidden size], got shape [{string.Join(", ", array.Shape)}]");
        }

        if (array.DType is not (NpyDType.Float16 or NpyDType.Float32))
        {
            throw new InvalidDataException($"{path}: a codebook must hold float16 or float32 values, got {array.DType}");
        }

        var (rows, hidden) = (array.Shape[0], array.Shape[1]);
        if (rows == 0 || hidden == 0)
        {
            throw new InvalidDataException($"{path}: empty codebook array of shape [{rows}, {hidden}]");
        }

        var values = array.ToFloat32();
        var bad = Array.FindIndex(values, v => !float.IsFinite(v));
        if (bad >= 0)
        {
            throw new InvalidDataException($"{path}: row {bad / hidden}, column {bad % hidden} is {values[bad]}; prototypes must be finite");
        }

        var sources = sourceIdsJsonPath is null
            ? Enumerable.Range(0, rows).Select(i => $"row-{i}").ToArray()
            : ReadSourceIds(sourceIdsJsonPath, rows);

        var entries = new CodebookEntry[rows];
        for (var i = 0; i < rows; i++)
        {
            entries[i] = new CodebookEntry(i, values.AsSpan(i * hidden, hidden).ToArray(), sources[i], ClusterId: -1, ClusterUniqueImages: 0, Members: 1);
        }

        var parameters = JsonSerializer.Serialize(new Dictionary<string, string> { ["imported_from"] = Path.GetFileName(path) });
        var metadata = new CodebookMetadata(modelId, hidden, ImportedVersion, [], parameters, DateTimeOffset.UtcNow)
        {
            Family = family?.Name,
            Preset = family is null ? null : preset ?? MiningPreset.DefaultFor(family).Name,
        };
        return new Codebook(metadata, entries);
    }

    private static string[] ReadSourceIds(string path, int rows)
    {
        string[]? ids;
        try
        {
            ids = JsonSerializer.Deserialize<string[]>(File.ReadAllText(path));
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: source image ids must be a JSON array of strings: {e.Message}", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InvalidDataException($"{path}: cannot read source image ids: {e.Message}", e);
        }

        if (ids is null)
        {
            throw new InvalidDataException($"{path}: source image ids must be a JSON array of strings, got null");
        }

        if (ids.Length != rows)
        {
            throw new InvalidDataException($"{path}: holds {ids.Length} source image ids but the codebook has {rows} rows; expected one per row");
        }

        var missing = Array.IndexOf(ids, null);
        if (missing >= 0)
        {
            throw new InvalidDataException($"{path}: source image id {missing} is null");
        }

        return ids;
    }
}
