namespace Mining.Kernels.Checkpoints;

/// <summary>The two tensor-name layouts of Hugging Face LLaVA checkpoints.</summary>
public enum CheckpointLayout
{
    /// <summary>As llava-hf published LLaVA-1.5: <c>language_model.model.*</c>, <c>language_model.lm_head.weight</c>, <c>vision_tower.*</c>, <c>multi_modal_projector.*</c>. Mining's canonical names.</summary>
    Published,

    /// <summary>What transformers 4.52 and later writes: <c>model.language_model.*</c>, <c>lm_head.weight</c>, <c>model.vision_tower.*</c>, <c>model.multi_modal_projector.*</c>.</summary>
    Current,
}
