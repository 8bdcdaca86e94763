using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Mining.Kernels.Checkpoints;

/// <summary>Writes a model folder's config.json and weights in the Hugging Face file layout: one <c>model.safetensors</c>, or an index and <c>model-0000i-of-0000N.safetensors</c> shards.</summary>
public static class CheckpointFolder
{
    /// <summary>Creates <paramref name="directory"/> if needed; refuses one that already holds weights, so stale shards can never mix with new ones.</summary>
    public static void Prepare(string directory)
    {
        System.IO.Directory.CreateDirectory(directory);
        var existing = System.IO.Directory.EnumerateFiles(directory, "*.safetensors")
            .Concat(System.IO.Directory.EnumerateFiles(directory, CheckpointWeights.IndexFileName))
            .FirstOrDefault();
        if (existing is not null)
        {
            throw new CheckpointException($"{directory}: the folder already holds weights ({Path.GetFileName(existing)}); write checkpoints into an empty folder");
        }
    }

    /// <summary>The <c>torch_dtype</c> string transformers writes for <paramref name="dtype"/>.</summary>
    public static string TorchDtypeName(SafeTensorDType dtype) => dtype switch
    {
        SafeTensorDType.F32 => "float32",
        SafeTensorDType.F16 => "float16",
        SafeTensorDType.BF16 => "bfloat16",
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "checkpoints are written in F32, F16 or BF16"),
    };

    /// <summary>Writes <paramref name="tensors"/> under their <paramref name="layout"/> names, split into <paramref name="shards"/> files of about equal size, order kept.</summary>
    public static void WriteWeights(string directory, IReadOnlyList<PendingTensor> tensors, CheckpointLayout layout, SafeTensorDType dtype, int shards)
    {
        _ = TorchDtypeName(dtype);
        if (shards < 1 || shards > tensors.Count)
        {
            throw new ArgumentOutOfRangeException(nameof(shards), shards, $"a checkpoint of {tensors.Count} tensors can be split into 1 to {tensors.Count} shards");
        }

        if (shards == 1)
        {
            SafeTensorsWriter.Write(Path.Combine(directory, CheckpointWeights.SingleFileName), Stream(tensors, layout, dtype));
            return;
        }

        var size = SafeTensorDTypeFormat.Size(dtype);
        var bytes = tensors.Select(t => t.Shape.Aggregate((long)size, (a, b) => a * b)).ToList();
        var weightMap = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var start = 0;
        for (var shard = 0; shard < shards; shard++)
        {
            var end = ShardEnd(bytes, start, shard, shards);
            var file = $"model-{shard + 1:D5}-of-{shards:D5}.safetensors";
            var part = tensors.Skip(start).Take(end - start).ToList();
            SafeTensorsWriter.Write(Path.Combine(directory, file), Stream(part, layout, dtype));
            foreach (var tensor in part)
            {
                weightMap[CheckpointNames.FromCanonical(tensor.Name, layout)] = file;
            }

            start = end;
        }

        var index = new JsonObject
        {
            ["metadata"] = new JsonObject { ["total_size"] = bytes.Sum() },
            ["weight_map"] = new JsonObject(weightMap.Select(e => KeyValuePair.Create(e.Key, (JsonNode?)e.Value))),
        };
        File.WriteAllText(
            Path.Combine(directory, CheckpointWeights.IndexFileName),
            index.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }) + "\n");
    }

    /// <summary>End (exclusive) of shard <paramref name="shard"/>: it fills up to its share of the total bytes, takes at least one tensor, and leaves one for each later shard.</summary>
    private static int ShardEnd(List<long> bytes, int start, int shard, int shards)
    {
        if (shard == shards - 1)
        {
            return bytes.Count;
        }

        var target = bytes.Sum() * (shard + 1) / shards;
        var filled = bytes.Take(start + 1).Sum();
        var end = start + 1;
        var lastAllowed = bytes.Count - (shards - 1 - shard);
        while (end < lastAllowed && filled + bytes[end] <= target)
        {
            filled += bytes[end];
            end++;
        }

        return end;
    }

    private static IEnumerable<(string, SafeTensorDType, long[], float[])> Stream(IEnumerable<PendingTensor> tensors, CheckpointLayout layout, SafeTensorDType dtype)
    {
        foreach (var tensor in tensors)
        {
            yield return (CheckpointNames.FromCanonical(tensor.Name, layout), dtype, tensor.Shape, tensor.Values());
        }
    }
}
