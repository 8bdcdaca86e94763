namespace Mining.Kernels.Checkpoints;

/// <summary>Writes a random LLaVA checkpoint (config.json and weights): a small one from a <see cref="TinyCheckpointSpec"/>, or any config's; tokenizer and preprocessor files are written elsewhere.</summary>
public static class TinyCheckpointWeights
{
    /// <summary>
    /// Writes <paramref name="spec"/> into <paramref name="directory"/> (created if needed; it must hold no weights yet).
    /// Every tensor's values depend only on the seed and its canonical name, so layout, dtype and shard count change the files, not the model.
    /// </summary>
    public static void Write(TinyCheckpointSpec spec, string directory)
    {
        ArgumentNullException.ThrowIfNull(spec);
        Write(spec.ToConfig(), spec.Seed, directory, spec.Layout, spec.DType, spec.Shards, spec.OmitDefaultConfigFields, "tiny checkpoint spec");
    }

    /// <summary>
    /// Writes config.json and seeded random weights for any <paramref name="config"/> — a real model's widths with few
    /// layers, for benchmarks — into <paramref name="directory"/> (created if needed; it must hold no weights yet).
    /// One tensor's values are held at a time.
    /// </summary>
    public static void Write(LlavaConfig config, int seed, string directory, CheckpointLayout layout, SafeTensorDType dtype, int shards, bool omitDefaultConfigFields = false, string source = "checkpoint config")
    {
        ArgumentNullException.ThrowIfNull(config);
        if (dtype is not (SafeTensorDType.F32 or SafeTensorDType.F16 or SafeTensorDType.BF16))
        {
            throw new ArgumentException($"{source} dtype must be F32, F16 or BF16, not {dtype}", nameof(dtype));
        }

        config.Validate(source);
        var expected = LlavaTensorSchema.Expected(config);
        if (shards < 1 || shards > expected.Count)
        {
            throw new ArgumentException($"{source} shards must be between 1 and {expected.Count}, not {shards}", nameof(shards));
        }

        CheckpointFolder.Prepare(directory);
        config.Save(Path.Combine(directory, "config.json"), omitDefaultConfigFields);
        var tensors = expected.Select(e => new PendingTensor(e.Name, e.Shape, () => Values(e, seed))).ToList();
        CheckpointFolder.WriteWeights(directory, tensors, layout, dtype, shards);
    }

    /// <summary>
    /// Values at the scales of the llava-tiny-ref fixture, so activations stay of order one through every layer and the
    /// first-token distribution is neither flat nor one-hot: matrices N(0, 1/fan_in), norms 1 + N(0, 0.1²), biases
    /// N(0, 0.05²), embeddings wider. (The 0.02 of transformers' initialiser makes tiny models' logits nearly uniform.)
    /// </summary>
    private static float[] Values(ExpectedTensor tensor, int seed)
    {
        var name = tensor.Name;
        // Every norm's name contains "norm": layer_norm1/2, pre_layrnorm, post_layernorm, input_layernorm, model.norm.
        var isNorm = name.Contains("norm", StringComparison.Ordinal);
        var fanIn = tensor.Shape.Skip(1).Aggregate(1L, (a, b) => a * b);
        var (offset, scale) = name switch
        {
            _ when isNorm && name.EndsWith(".weight", StringComparison.Ordinal) => (1.0, 0.1),
            _ when isNorm => (0.0, 0.1),
            _ when name.EndsWith(".bias", StringComparison.Ordinal) => (0.0, 0.05),
            _ when name.EndsWith("embed_tokens.weight", StringComparison.Ordinal) => (0.0, 0.5),
            _ when name.EndsWith("class_embedding", StringComparison.Ordinal) || name.EndsWith("position_embedding.weight", StringComparison.Ordinal) => (0.0, 0.3),
            _ when name.EndsWith("lm_head.weight", StringComparison.Ordinal) => (0.0, 3.0 / Math.Sqrt(fanIn)),
            _ => (0.0, 1.0 / Math.Sqrt(fanIn)),
        };

        var random = new SplitMix64(SplitMix64.SeedFor(seed, name));
        var values = new float[tensor.Shape.Aggregate(1L, (a, b) => a * b)];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = (float)(offset + scale * random.NextNormal());
        }

        return values;
    }
}
