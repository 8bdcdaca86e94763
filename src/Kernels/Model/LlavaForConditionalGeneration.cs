using Mining.Kernels.Checkpoints;
using TorchSharp;
using static TorchSharp.torch;

namespace Mining.Kernels.Model;

/// <summary>
/// A LLaVA model as mining runs it (HF <c>LlavaForConditionalGeneration</c> and the base view of <c>LlavaNext…</c> and
/// <c>LlavaOnevision…</c>): a CLIP or SigLIP vision tower, the projector and a LLaMA or Qwen2 language model. Field names
/// mirror the published checkpoint layout, so <c>named_parameters()</c> yields the canonical tensor names.
/// </summary>
public sealed class LlavaForConditionalGeneration : nn.Module
{
#pragma warning disable IDE1006 // Field names mirror the checkpoint's tensor names.
    private readonly nn.Module<Tensor, VisionFeatures> vision_tower;
    private readonly LlavaProjector multi_modal_projector;
    private readonly LlamaForCausalLM language_model;
#pragma warning restore IDE1006

    /// <summary>
    /// Creates the model for <paramref name="config"/> with uninitialised (default-initialised) weights, its parameters
    /// made on <paramref name="device"/> in <paramref name="dtype"/> (null: TorchSharp's defaults, CPU and float32), so a
    /// loader fills them in place instead of converting a float32 copy.
    /// </summary>
    public LlavaForConditionalGeneration(LlavaConfig config, Device? device = null, ScalarType? dtype = null)
        : base(nameof(LlavaForConditionalGeneration))
    {
        var v = config.Vision;
        var t = config.Text;
        vision_tower = v.IsSiglip
            ? new SiglipVisionTower(v.HiddenSize, v.ImageSize, v.PatchSize, v.NumChannels, v.NumHiddenLayers, v.NumAttentionHeads, v.IntermediateSize, v.HiddenAct, v.LayerNormEps, config.VisionFeatureLayer, device: device, dtype: dtype)
            : new ClipVisionTower(v.HiddenSize, v.ImageSize, v.PatchSize, v.NumChannels, v.NumHiddenLayers, v.NumAttentionHeads, v.IntermediateSize, v.HiddenAct, v.LayerNormEps, config.VisionFeatureLayer, device: device, dtype: dtype);
        multi_modal_projector = new LlavaProjector(v.HiddenSize, t.HiddenSize, config.ProjectorHiddenAct, device: device, dtype: dtype);
        language_model = new LlamaForCausalLM(t.VocabSize, t.HiddenSize, t.IntermediateSize, t.NumHiddenLayers, t.NumAttentionHeads, t.NumKeyValueHeads, t.HeadDim, t.RmsNormEps, t.RopeTheta, t.HiddenAct, t.QkvBias, t.OutputBias, t.MlpBias, device: device, dtype: dtype);
        RegisterComponents();
    }

    /// <summary>The vision tower (CLIP or SigLIP).</summary>
    public nn.Module<Tensor, VisionFeatures> VisionTower => vision_tower;

    /// <summary>The projector into the LLM's input space.</summary>
    public LlavaProjector Projector => multi_modal_projector;

    /// <summary>The language model.</summary>
    public LlamaForCausalLM LanguageModel => language_model;
}
