using System.Text.Json;
using System.Text.Json.Nodes;
using Mining.Kernels.IO;
using TorchSharp;

namespace Mining.Kernels.Checkpoints;

/// <summary>The weights of a Hugging Face LLaVA model folder — one <c>model.safetensors</c> or an index with shards — addressed by canonical (published-layout) names.</summary>
/// <remarks>Owns the memory maps of its files: dispose it when the weights have been copied into the model.</remarks>
public sealed class CheckpointWeights : IDisposable
{
    /// <summary>The single-file weights name.</summary>
    public const string SingleFileName = "model.safetensors";

    /// <summary>The shard index name (<c>{"weight_map": {tensor: shard file}}</c>).</summary>
    public const string IndexFileName = "model.safetensors.index.json";

    private const int MaxListedProblems = 20;

    private readonly List<SafeTensorsFile> files;
    private readonly Dictionary<string, (SafeTensorsFile File, SafeTensorInfo Info)> tensors;
    private readonly List<string> names;

    private CheckpointWeights(string directory, CheckpointLayout layout, List<SafeTensorsFile> files, List<(string Canonical, SafeTensorsFile File, SafeTensorInfo Info)> entries, List<string> ignored)
    {
        Directory = directory;
        Layout = layout;
        this.files = files;
        names = entries.Select(e => e.Canonical).ToList();
        tensors = entries.ToDictionary(e => e.Canonical, e => (e.File, e.Info), StringComparer.Ordinal);
        IgnoredNames = ignored;
    }

    /// <summary>The model folder.</summary>
    public string Directory { get; }

    /// <summary>The layout the stored names follow.</summary>
    public CheckpointLayout Layout { get; }

    /// <summary>Canonical names of all LLaVA tensors, in stored order.</summary>
    public IReadOnlyCollection<string> Names => names;

    /// <summary>Stored names that belong to neither layout (not part of a LLaVA model); they cannot be read.</summary>
    public IReadOnlyList<string> IgnoredNames { get; }

    /// <summary>Paths of the safetensors files, in the order they were opened.</summary>
    public IReadOnlyList<string> Files => files.Select(f => f.Path).ToList();

    /// <summary>
    /// Opens <paramref name="modelDirectory"/>: the index and its shards when <c>model.safetensors.index.json</c> exists,
    /// else <c>model.safetensors</c>; each weights file is opened as <paramref name="roots"/> allow (anywhere when null).
    /// </summary>
    public static CheckpointWeights Open(string modelDirectory, AllowedRoots? roots = null)
    {
        if (!System.IO.Directory.Exists(modelDirectory))
        {
            throw new CheckpointException($"{modelDirectory}: model folder not found");
        }

        var indexPath = Path.Combine(modelDirectory, IndexFileName);
        var singlePath = Path.Combine(modelDirectory, SingleFileName);
        var opened = new List<SafeTensorsFile>();
        try
        {
            List<(string Stored, SafeTensorsFile File, SafeTensorInfo Info)> stored;
            if (File.Exists(indexPath))
            {
                stored = OpenShards(modelDirectory, indexPath, opened, roots);
            }
            else if (File.Exists(singlePath))
            {
                var file = SafeTensorsFile.Open(singlePath, roots);
                opened.Add(file);
                stored = file.Tensors.Select(t => (t.Name, file, t)).ToList();
            }
            else
            {
                var bin = System.IO.Directory.EnumerateFiles(modelDirectory, "*.bin").Any()
                    ? " (PyTorch .bin weights are not supported: save the model with safe_serialization=True)"
                    : "";
                throw new CheckpointException($"{modelDirectory}: no weights found: expected {SingleFileName} or {IndexFileName}{bin}");
            }

            var layout = CheckpointNames.Detect(stored.Select(s => s.Stored), modelDirectory);
            var entries = new List<(string, SafeTensorsFile, SafeTensorInfo)>();
            var ignored = new List<string>();
            foreach (var (name, file, info) in stored)
            {
                if (CheckpointNames.ToCanonical(name, layout) is { } canonical)
                {
                    entries.Add((canonical, file, info));
                }
                else
                {
                    ignored.Add(name);
                }
            }

            return new CheckpointWeights(modelDirectory, layout, opened, entries, ignored);
        }
        catch
        {
            opened.ForEach(f => f.Dispose());
            throw;
        }
    }

    /// <summary>Whether the checkpoint holds the tensor with canonical name <paramref name="name"/>.</summary>
    public bool Contains(string name) => tensors.ContainsKey(name);

    /// <summary>The header entry of canonical <paramref name="name"/> (its <see cref="SafeTensorInfo.Name"/> is the name as stored).</summary>
    public SafeTensorInfo Info(string name) => Find(name).Info;

    /// <summary>The safetensors file holding canonical <paramref name="name"/>.</summary>
    public string FileOf(string name) => Find(name).File.Path;

    /// <summary>The tensor as a new float32 CPU tensor (the caller owns it); F16 and BF16 convert exactly.</summary>
    public torch.Tensor Read(string name)
    {
        var (file, info) = Find(name);
        return file.ReadTensor(info.Name);
    }

    /// <summary>Copies canonical <paramref name="name"/> into <paramref name="destination"/> piece by piece, converting to its dtype and device: see <see cref="SafeTensorsFile.CopyTo"/>.</summary>
    public void CopyTo(string name, torch.Tensor destination)
    {
        var (file, info) = Find(name);
        file.CopyTo(info.Name, destination);
    }

    /// <summary>The tensor's values as float32, flattened in C order.</summary>
    public float[] ReadFloat32(string name)
    {
        var (file, info) = Find(name);
        return file.ReadFloat32(info.Name);
    }

    /// <summary>
    /// Checks that every tensor <see cref="LlavaTensorSchema"/> expects for <paramref name="config"/> is present, readable and
    /// of the right shape; extra tensors (e.g. an old <c>position_ids</c> buffer) are ignored. Raises one
    /// <see cref="CheckpointException"/> listing every problem.
    /// </summary>
    public void Validate(LlavaConfig config)
    {
        var missing = new List<string>();
        var wrong = new List<string>();
        foreach (var expected in LlavaTensorSchema.Expected(config))
        {
            if (!tensors.TryGetValue(expected.Name, out var found))
            {
                missing.Add($"{expected.Name} {expected.ShapeText}");
            }
            else if (!found.Info.Shape.SequenceEqual(expected.Shape))
            {
                wrong.Add($"{expected.Name}: expected {expected.ShapeText}, found {found.Info.ShapeText} in {found.File.Path}");
            }
            else if (!SafeTensorDTypeFormat.IsReadableAsFloat(found.Info.DType))
            {
                wrong.Add($"{expected.Name}: dtype {SafeTensorDTypeFormat.Name(found.Info.DType)} in {found.File.Path} (F32, F16 or BF16 needed)");
            }
        }

        if (missing.Count == 0 && wrong.Count == 0)
        {
            return;
        }

        var lines = missing.Select(m => "missing: " + m).Concat(wrong.Select(w => "wrong: " + w)).ToList();
        var shown = lines.Take(MaxListedProblems).ToList();
        if (lines.Count > shown.Count)
        {
            shown.Add($"... and {lines.Count - shown.Count} more");
        }

        throw new CheckpointException(
            $"{Directory}: the weights do not match config.json ({missing.Count} tensors missing, {wrong.Count} of the wrong shape or type):\n  " +
            string.Join("\n  ", shown));
    }

    /// <summary>Unmaps every file.</summary>
    public void Dispose() => files.ForEach(f => f.Dispose());

    private (SafeTensorsFile File, SafeTensorInfo Info) Find(string name) =>
        tensors.TryGetValue(name, out var entry)
            ? entry
            : throw new CheckpointException($"{Directory}: the checkpoint has no tensor '{name}' (names are canonical: language_model.*, vision_tower.*, multi_modal_projector.*)");

    private static List<(string, SafeTensorsFile, SafeTensorInfo)> OpenShards(string directory, string indexPath, List<SafeTensorsFile> opened, AllowedRoots? roots)
    {
        var weightMap = ReadWeightMap(indexPath);
        var shards = new Dictionary<string, SafeTensorsFile>(StringComparer.Ordinal);
        var result = new List<(string, SafeTensorsFile, SafeTensorInfo)>();
        foreach (var (name, shardName) in weightMap)
        {
            if (!shards.TryGetValue(shardName, out var shard))
            {
                var shardPath = Path.Combine(directory, shardName);
                if (!File.Exists(shardPath))
                {
                    throw new CheckpointException($"{shardPath}: shard not found; {indexPath} maps tensor '{name}' to it");
                }

                shard = SafeTensorsFile.Open(shardPath, roots);
                opened.Add(shard);
                shards[shardName] = shard;
            }

            if (!shard.Contains(name))
            {
                throw new CheckpointException($"{indexPath}: weight_map puts tensor '{name}' in {shardName}, but {shard.Path} does not hold it");
            }

            result.Add((name, shard, shard.Info(name)));
        }

        return result;
    }

    /// <summary>
    /// The shard files a <c>model.safetensors.index.json</c> names, each once in first-mention order; every name is a
    /// plain file name in the index's folder (one with a folder part, <c>..</c> or a root is refused).
    /// </summary>
    /// <exception cref="CheckpointException">The index is unreadable, malformed or names a shard outside its folder.</exception>
    public static IReadOnlyList<string> ShardNames(string indexPath) =>
        ReadWeightMap(indexPath).Select(entry => entry.Shard).Distinct(StringComparer.Ordinal).ToArray();

    private static List<(string Name, string Shard)> ReadWeightMap(string indexPath)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(File.ReadAllText(indexPath));
        }
        catch (JsonException e)
        {
            throw new CheckpointException($"{indexPath}: not valid JSON: {e.Message}", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CheckpointException($"{indexPath}: cannot read the shard index: {e.Message}", e);
        }

        if (root?["weight_map"] is not JsonObject map)
        {
            throw new CheckpointException($"{indexPath}: field 'weight_map' (tensor name → shard file) is missing or not an object");
        }

        var entries = new List<(string, string)>();
        foreach (var (name, value) in map)
        {
            if (value is not JsonValue shard || shard.GetValueKind() != JsonValueKind.String)
            {
                throw new CheckpointException($"{indexPath}: field 'weight_map.{name}' must be a shard file name, got {ConfigSection.Show(value)}");
            }

            var file = shard.GetValue<string>();
            // A shard is a file beside the index, as save_pretrained writes them: a folder part could lead out of the
            // model folder through a link, so it is refused like a rooted path or "..".
            if (file.Length == 0 || Path.IsPathRooted(file) || file.Contains("..", StringComparison.Ordinal) || file.Contains('/', StringComparison.Ordinal) || file.Contains('\\', StringComparison.Ordinal))
            {
                throw new CheckpointException($"{indexPath}: field 'weight_map.{name}' names '{file}', not a file beside the index in the model folder");
            }

            entries.Add((name, file));
        }

        if (entries.Count == 0)
        {
            throw new CheckpointException($"{indexPath}: field 'weight_map' is empty");
        }

        return entries;
    }
}
