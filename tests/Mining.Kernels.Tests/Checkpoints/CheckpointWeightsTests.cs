using System.Text.Json.Nodes;
using Mining.Kernels.Checkpoints;
using TorchSharp;

namespace Mining.Kernels.Tests.Checkpoints;

public sealed class CheckpointWeightsTests
{
    private static string FixtureWeights => Path.Combine(TestData.FixtureModel, "model.safetensors");

    private static LlavaConfig FixtureConfig => LlavaConfig.Load(Path.Combine(TestData.FixtureModel, "config.json"));

    [Fact]
    public void The_fixture_opens_in_the_published_layout_and_validates()
    {
        using var weights = CheckpointWeights.Open(TestData.FixtureModel);
        Assert.Equal(CheckpointLayout.Published, weights.Layout);
        Assert.Equal(80, weights.Names.Count);
        Assert.Empty(weights.IgnoredNames);
        Assert.Equal([FixtureWeights], weights.Files);
        weights.Validate(FixtureConfig);
    }

    [Fact]
    public void Read_returns_the_stored_values_as_a_tensor()
    {
        using var weights = CheckpointWeights.Open(TestData.FixtureModel);
        using var file = SafeTensorsFile.Open(FixtureWeights);
        using var scope = torch.NewDisposeScope();
        var tensor = weights.Read("multi_modal_projector.linear_1.weight");
        Assert.Equal([64L, 48L], tensor.shape);
        Assert.Equal(file.ReadFloat32("multi_modal_projector.linear_1.weight"), tensor.data<float>().ToArray());
    }

    [Fact]
    public void A_folder_without_weights_is_refused_naming_both_expected_files()
    {
        var folder = TestData.NewTempFolder();
        var e = Assert.Throws<CheckpointException>(() => CheckpointWeights.Open(folder));
        Assert.Contains(folder, e.Message);
        Assert.Contains("model.safetensors.index.json", e.Message);
        Assert.Contains("model.safetensors or", e.Message);
    }

    [Fact]
    public void A_shard_named_in_the_index_but_missing_is_refused_naming_shard_and_index()
    {
        var folder = TestData.NewTempFolder();
        File.Copy(FixtureWeights, Path.Combine(folder, "model-00001-of-00002.safetensors"));
        var names = SafeTensorNames(FixtureWeights);
        var index = WriteIndex(folder, names.Select((n, i) => (n, i < 40 ? "model-00001-of-00002.safetensors" : "model-00002-of-00002.safetensors")));

        var e = Assert.Throws<CheckpointException>(() => CheckpointWeights.Open(folder));
        Assert.Contains(Path.Combine(folder, "model-00002-of-00002.safetensors"), e.Message);
        Assert.Contains(index, e.Message);
    }

    [Theory]
    [InlineData("sub/model.safetensors")]
    [InlineData("sub\\model.safetensors")]
    [InlineData("../model.safetensors")]
    [InlineData("/tmp/model.safetensors")]
    public void A_shard_named_with_a_folder_part_is_refused_even_when_a_link_there_would_resolve(string shard)
    {
        // sub/ links to a folder that holds real weights: following it could read files outside the model folder.
        var folder = TestData.NewTempFolder();
        var outside = TestData.NewTempFolder();
        File.Copy(FixtureWeights, Path.Combine(outside, "model.safetensors"));
        Directory.CreateSymbolicLink(Path.Combine(folder, "sub"), outside);
        var index = WriteIndex(folder, SafeTensorNames(FixtureWeights).Select(n => (n, shard)));

        var e = Assert.Throws<CheckpointException>(() => CheckpointWeights.Open(folder));
        Assert.Contains(index, e.Message);
        Assert.Contains("not a file beside the index", e.Message);
        Assert.DoesNotContain(outside, e.Message);
    }

    [Fact]
    public void An_index_that_puts_a_tensor_in_the_wrong_shard_is_refused()
    {
        var folder = TestData.NewTempFolder();
        File.Copy(FixtureWeights, Path.Combine(folder, "model-00001-of-00001.safetensors"));
        var index = WriteIndex(folder, [.. SafeTensorNames(FixtureWeights).Select(n => (n, "model-00001-of-00001.safetensors")), ("language_model.model.extra.weight", "model-00001-of-00001.safetensors")]);
        var e = Assert.Throws<CheckpointException>(() => CheckpointWeights.Open(folder));
        Assert.Contains(index, e.Message);
        Assert.Contains("language_model.model.extra.weight", e.Message);
    }

    [Fact]
    public void A_corrupt_weights_header_is_refused_naming_the_file()
    {
        var folder = TestData.NewTempFolder();
        var path = HandMadeSafeTensors.Write(folder, "model.safetensors", "[[[", new byte[8]);
        var e = Assert.Throws<CheckpointException>(() => CheckpointWeights.Open(folder));
        Assert.Contains(path, e.Message);
        Assert.Contains("not valid JSON", e.Message);
    }

    [Fact]
    public void Wrong_shapes_are_listed_with_expected_and_found_shape_and_file()
    {
        using var weights = CheckpointWeights.Open(TestData.FixtureModel);
        var config = FixtureConfig with { Text = FixtureConfig.Text with { IntermediateSize = 200 } };
        var e = Assert.Throws<CheckpointException>(() => weights.Validate(config));
        Assert.Contains(TestData.FixtureModel, e.Message);
        Assert.Contains("0 tensors missing, 6 of the wrong shape", e.Message);
        Assert.Contains($"language_model.model.layers.1.mlp.down_proj.weight: expected [64, 200], found [64, 176] in {FixtureWeights}", e.Message);
    }

    [Fact]
    public void Missing_tensors_are_listed_with_their_shapes()
    {
        using var weights = CheckpointWeights.Open(TestData.FixtureModel);
        var config = FixtureConfig with { Vision = FixtureConfig.Vision with { NumHiddenLayers = 4 } };
        var e = Assert.Throws<CheckpointException>(() => weights.Validate(config));
        Assert.Contains("16 tensors missing, 0 of the wrong shape", e.Message);
        Assert.Contains("missing: vision_tower.vision_model.encoder.layers.3.mlp.fc1.weight [128, 48]", e.Message);
    }

    [Fact]
    public void An_old_position_ids_buffer_is_ignored_by_validation()
    {
        var folder = TestData.NewTempFolder();
        File.Copy(FixtureWeights, Path.Combine(folder, "model-00001-of-00002.safetensors"));
        HandMadeSafeTensors.Write(
            folder,
            "model-00002-of-00002.safetensors",
            """{"vision_tower.vision_model.embeddings.position_ids":{"dtype":"I64","shape":[1,37],"data_offsets":[0,296]}}""",
            new byte[296]);
        WriteIndex(folder, [.. SafeTensorNames(FixtureWeights).Select(n => (n, "model-00001-of-00002.safetensors")), ("vision_tower.vision_model.embeddings.position_ids", "model-00002-of-00002.safetensors")]);

        using var weights = CheckpointWeights.Open(folder);
        Assert.Contains("vision_tower.vision_model.embeddings.position_ids", weights.Names);
        Assert.Equal(2, weights.Files.Count);
        weights.Validate(FixtureConfig);
    }

    private static List<string> SafeTensorNames(string path)
    {
        var (header, _) = HandMadeSafeTensors.Split(path);
        return JsonNode.Parse(header)!.AsObject().Select(p => p.Key).Where(k => k != "__metadata__").ToList();
    }

    private static string WriteIndex(string folder, IEnumerable<(string Name, string Shard)> map)
    {
        var weightMap = new JsonObject();
        foreach (var (name, shard) in map)
        {
            weightMap[name] = shard;
        }

        var path = Path.Combine(folder, "model.safetensors.index.json");
        File.WriteAllText(path, new JsonObject { ["metadata"] = new JsonObject(), ["weight_map"] = weightMap }.ToJsonString());
        return path;
    }
}
