using Mining.Kernels.Checkpoints;
using Mining.Kernels.IO;
using TorchSharp;
using static TorchSharp.torch;

namespace Mining.Kernels.Model;

/// <summary>Builds a checkpoint's LLaVA model on its device in its compute dtype and fills it from the safetensors files one tensor at a time.</summary>
/// <remarks>
/// The parameters are made where they will live, in the dtype they will compute in, and each stored tensor is copied into
/// its parameter in pieces (<see cref="SafeTensorsFile.CopyTo"/>): a 7B bf16 checkpoint going to a GPU in bf16 never
/// exists as a float32 model on the host, and one going to the CPU in float32 is held once, plus one piece.
/// </remarks>
public static class LlavaModelLoader
{
    private const string EmbedName = "language_model.model.embed_tokens.weight";
    private const string HeadName = "language_model.lm_head.weight";

    /// <summary>
    /// Loads the weights of <paramref name="modelDirectory"/> (its <paramref name="config"/>) into a new model on
    /// <paramref name="device"/> in <paramref name="dtype"/>, in eval mode, without gradients. A missing or misshapen
    /// tensor raises <see cref="CheckpointException"/> naming it, before anything is allocated.
    /// </summary>
    public static LlavaForConditionalGeneration Load(string modelDirectory, LlavaConfig config, Device device, ScalarType dtype, AllowedRoots? roots = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(device);
        using var weights = CheckpointWeights.Open(modelDirectory, roots);
        weights.Validate(config);
        var model = new LlavaForConditionalGeneration(config, device, dtype);
        try
        {
            CopyWeights(model, weights, config);
            model.eval();
            return model;
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    private static void CopyWeights(LlavaForConditionalGeneration model, CheckpointWeights weights, LlavaConfig config)
    {
        using var noGrad = torch.no_grad();
        foreach (var (name, parameter) in model.named_parameters())
        {
            parameter.requires_grad = false;

            // A tied head is embed_tokens itself (HF ties them; save_pretrained then drops lm_head.weight).
            var source = name == HeadName && config.Text.TieWordEmbeddings && !weights.Contains(HeadName) ? EmbedName : name;
            var stored = weights.Info(source).Shape;
            if (!stored.SequenceEqual(parameter.shape))
            {
                throw new CheckpointException($"{weights.FileOf(source)}: tensor '{source}' has shape [{string.Join(", ", stored)}], the config needs [{string.Join(", ", parameter.shape)}]");
            }

            weights.CopyTo(source, parameter);
        }
    }
}
