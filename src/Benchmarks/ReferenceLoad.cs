using Mining.Kernels.Checkpoints;
using Mining.Kernels.Model;
using TorchSharp;
using static TorchSharp.torch;

namespace Mining.Benchmarks;

/// <summary>
/// How Mining loaded a checkpoint before <see cref="LlavaModelLoader"/>, kept as the baseline <c>bench forward --shape</c>
/// measures it against: the model built in float32 on the CPU, each tensor read whole into a new float32 tensor from the
/// memory map, then <c>model.to(device, dtype)</c>.
/// </summary>
public static class ReferenceLoad
{
    private const string EmbedName = "language_model.model.embed_tokens.weight";
    private const string HeadName = "language_model.lm_head.weight";

    /// <summary>Loads <paramref name="modelDirectory"/> the old way; the model is on <paramref name="device"/> in <paramref name="dtype"/>, in eval mode.</summary>
    public static LlavaForConditionalGeneration Load(string modelDirectory, LlavaConfig config, Device device, ScalarType dtype)
    {
        ArgumentNullException.ThrowIfNull(config);
        var model = new LlavaForConditionalGeneration(config);
        try
        {
            using (var weights = CheckpointWeights.Open(modelDirectory))
            {
                weights.Validate(config);
                using var noGrad = torch.no_grad();
                foreach (var (name, parameter) in model.named_parameters())
                {
                    parameter.requires_grad = false;
                    var source = name == HeadName && config.Text.TieWordEmbeddings && !weights.Contains(HeadName) ? EmbedName : name;
                    using var value = weights.Read(source);
                    parameter.copy_(value);
                }
            }

            model.to(device, dtype);
            model.eval();
            return model;
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }
}
