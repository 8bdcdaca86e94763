using Mining.Kernels.Checkpoints;

namespace Mining.Kernels.Tests.Checkpoints;

public sealed class CheckpointNamesTests
{
    [Theory]
    [InlineData("model.language_model.layers.0.self_attn.q_proj.weight", "language_model.model.layers.0.self_attn.q_proj.weight")]
    [InlineData("model.language_model.embed_tokens.weight", "language_model.model.embed_tokens.weight")]
    [InlineData("lm_head.weight", "language_model.lm_head.weight")]
    [InlineData("model.vision_tower.vision_model.pre_layrnorm.weight", "vision_tower.vision_model.pre_layrnorm.weight")]
    [InlineData("model.multi_modal_projector.linear_1.bias", "multi_modal_projector.linear_1.bias")]
    public void Current_names_map_to_published_names_and_back(string current, string published)
    {
        Assert.Equal(published, CheckpointNames.ToCanonical(current, CheckpointLayout.Current));
        Assert.Equal(current, CheckpointNames.FromCanonical(published, CheckpointLayout.Current));
        Assert.Equal(published, CheckpointNames.ToCanonical(published, CheckpointLayout.Published));
        Assert.Equal(published, CheckpointNames.FromCanonical(published, CheckpointLayout.Published));
    }

    [Fact]
    public void The_layout_is_detected_from_the_names()
    {
        Assert.Equal(CheckpointLayout.Published, CheckpointNames.Detect(["language_model.lm_head.weight", "vision_tower.vision_model.post_layernorm.bias"], "dir"));
        Assert.Equal(CheckpointLayout.Current, CheckpointNames.Detect(["lm_head.weight", "model.vision_tower.vision_model.post_layernorm.bias", "unrelated"], "dir"));
    }

    [Fact]
    public void A_mix_of_layouts_is_refused_naming_the_directory()
    {
        var e = Assert.Throws<CheckpointException>(() => CheckpointNames.Detect(["lm_head.weight", "language_model.model.norm.weight"], "/models/odd"));
        Assert.Contains("/models/odd", e.Message);
        Assert.Contains("mix", e.Message);
    }

    [Fact]
    public void Names_of_neither_layout_are_refused_naming_the_directory()
    {
        var e = Assert.Throws<CheckpointException>(() => CheckpointNames.Detect(["model.layers.0.mlp.up_proj.weight", "model.norm.weight"], "/models/llama"));
        Assert.Contains("/models/llama", e.Message);
        Assert.Contains("not a LLaVA checkpoint", e.Message);
    }
}
