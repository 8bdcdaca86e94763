using Mining.Kernels.Checkpoints;

namespace Mining.Kernels.Tests.Checkpoints;

/// <summary>Re-saves a LLaVA checkpoint in another tensor-name layout, dtype or shard count; tokenizer and preprocessor files are copied unchanged.</summary>
public static class CheckpointRewriter
{
    /// <summary>
    /// Reads <paramref name="sourceDir"/> and writes <paramref name="destDir"/> (created if needed; it must hold no weights yet).
    /// Values pass through float32: F32 and F16 sources written as the same dtype come out bit-identical; narrowing rounds to nearest even.
    /// Tensors that are not float weights (an old int64 <c>position_ids</c> buffer) and names outside the LLaVA layouts are dropped.
    /// </summary>
    public static void Rewrite(string sourceDir, string destDir, CheckpointLayout layout, SafeTensorDType dtype, int shards, bool omitDefaultConfigFields)
    {
        if (string.Equals(Path.GetFullPath(sourceDir).TrimEnd('/'), Path.GetFullPath(destDir).TrimEnd('/'), StringComparison.Ordinal))
        {
            throw new CheckpointException($"{destDir}: a checkpoint cannot be rewritten onto itself");
        }

        var configPath = Path.Combine(sourceDir, "config.json");
        var config = LlavaConfig.Load(configPath) with { TorchDtype = CheckpointFolder.TorchDtypeName(dtype) };
        using var weights = CheckpointWeights.Open(sourceDir);
        weights.Validate(config);
        var tensors = weights.Names
            .Where(name => SafeTensorDTypeFormat.IsReadableAsFloat(weights.Info(name).DType))
            .Select(name => new PendingTensor(name, weights.Info(name).Shape, () => weights.ReadFloat32(name)))
            .ToList();

        CheckpointFolder.Prepare(destDir);
        config.Save(Path.Combine(destDir, "config.json"), omitDefaultConfigFields);
        CheckpointFolder.WriteWeights(destDir, tensors, layout, dtype, shards);

        foreach (var file in Directory.EnumerateFiles(sourceDir))
        {
            var name = Path.GetFileName(file);
            if (name is "config.json" or CheckpointWeights.IndexFileName || name.EndsWith(".safetensors", StringComparison.Ordinal))
            {
                continue;
            }

            File.Copy(file, Path.Combine(destDir, name), overwrite: true);
        }
    }
}
