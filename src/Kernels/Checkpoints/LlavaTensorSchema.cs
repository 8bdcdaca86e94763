namespace Mining.Kernels.Checkpoints;

/// <summary>Every tensor a LLaVA-1.5, LLaVA-NeXT or LLaVA-OneVision checkpoint holds, with its shape, derived from the config as transformers' modules define them.</summary>
/// <remarks>
/// Names and shapes follow transformers' modeling_clip.py (CLIPVisionEmbeddings, CLIPEncoderLayer — note HF's spelling
/// <c>pre_layrnorm</c>), modeling_siglip.py (SiglipVisionEmbeddings: a patch convolution with bias, one position per patch,
/// no class token, no pre-layernorm; the same encoder layer names as CLIP; the attention-pooling <c>head</c> of a
/// <c>vision_use_head</c> tower is not listed, LLaVA never runs it), modeling_llava.py (LlavaMultiModalProjector),
/// modeling_llava_next.py and modeling_llava_onevision.py (<c>image_newline</c>, a [hidden] parameter every NeXT and
/// OneVision checkpoint stores; checked here, never loaded: mining uses the base view without newline tokens),
/// modeling_llama.py and modeling_qwen2.py (biases on q/k/v only); nn.Linear weights are [out, in]. Buffers are not listed
/// (<c>position_ids</c> is not persistent since transformers 4.31).
/// </remarks>
public static class LlavaTensorSchema
{
    /// <summary>The tensors in order: vision tower, projector, language model; canonical (published) names.</summary>
    public static IReadOnlyList<ExpectedTensor> Expected(LlavaConfig config)
    {
        var list = new List<ExpectedTensor>();
        void Add(string name, params long[] shape) => list.Add(new ExpectedTensor(name, shape));

        var v = config.Vision;
        long d = v.HiddenSize;
        const string vision = "vision_tower.vision_model.";
        if (v.IsSiglip)
        {
            Add(vision + "embeddings.patch_embedding.weight", d, v.NumChannels, v.PatchSize, v.PatchSize);
            Add(vision + "embeddings.patch_embedding.bias", d);
            Add(vision + "embeddings.position_embedding.weight", v.NumPatches, d);
        }
        else
        {
            Add(vision + "embeddings.class_embedding", d);
            Add(vision + "embeddings.patch_embedding.weight", d, v.NumChannels, v.PatchSize, v.PatchSize);
            Add(vision + "embeddings.position_embedding.weight", v.NumPatches + 1, d);
            Add(vision + "pre_layrnorm.weight", d);
            Add(vision + "pre_layrnorm.bias", d);
        }

        for (var i = 0; i < v.NumHiddenLayers; i++)
        {
            var layer = $"{vision}encoder.layers.{i}.";
            foreach (var projection in new[] { "q_proj", "k_proj", "v_proj", "out_proj" })
            {
                Add(layer + $"self_attn.{projection}.weight", d, d);
                Add(layer + $"self_attn.{projection}.bias", d);
            }

            Add(layer + "layer_norm1.weight", d);
            Add(layer + "layer_norm1.bias", d);
            Add(layer + "mlp.fc1.weight", v.IntermediateSize, d);
            Add(layer + "mlp.fc1.bias", v.IntermediateSize);
            Add(layer + "mlp.fc2.weight", d, v.IntermediateSize);
            Add(layer + "mlp.fc2.bias", d);
            Add(layer + "layer_norm2.weight", d);
            Add(layer + "layer_norm2.bias", d);
        }

        Add(vision + "post_layernorm.weight", d);
        Add(vision + "post_layernorm.bias", d);

        var t = config.Text;
        long h = t.HiddenSize;
        Add("multi_modal_projector.linear_1.weight", h, d);
        Add("multi_modal_projector.linear_1.bias", h);
        Add("multi_modal_projector.linear_2.weight", h, h);
        Add("multi_modal_projector.linear_2.bias", h);
        if (config.HasImageNewline)
        {
            Add(CheckpointNames.ImageNewline, h);
        }

        const string text = "language_model.model.";
        long q = (long)t.NumAttentionHeads * t.HeadDim;
        long kv = (long)t.NumKeyValueHeads * t.HeadDim;
        Add(text + "embed_tokens.weight", t.VocabSize, h);
        for (var i = 0; i < t.NumHiddenLayers; i++)
        {
            var layer = $"{text}layers.{i}.";
            foreach (var (projection, rows, columns, bias) in new[] { ("q_proj", q, h, t.QkvBias), ("k_proj", kv, h, t.QkvBias), ("v_proj", kv, h, t.QkvBias), ("o_proj", h, q, t.OutputBias) })
            {
                Add(layer + $"self_attn.{projection}.weight", rows, columns);
                if (bias)
                {
                    Add(layer + $"self_attn.{projection}.bias", rows);
                }
            }

            foreach (var (projection, rows, columns) in new[] { ("gate_proj", (long)t.IntermediateSize, h), ("up_proj", t.IntermediateSize, h), ("down_proj", h, t.IntermediateSize) })
            {
                Add(layer + $"mlp.{projection}.weight", rows, columns);
                if (t.MlpBias)
                {
                    Add(layer + $"mlp.{projection}.bias", rows);
                }
            }

            Add(layer + "input_layernorm.weight", h);
            Add(layer + "post_attention_layernorm.weight", h);
        }

        Add(text + "norm.weight", h);

        // A tied head is embed_tokens itself; save_pretrained drops the duplicate.
        if (!t.TieWordEmbeddings)
        {
            Add("language_model.lm_head.weight", t.VocabSize, h);
        }

        return list;
    }
}
