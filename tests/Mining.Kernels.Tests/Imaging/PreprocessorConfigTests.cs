using System.Text.Json.Nodes;
using Mining.Kernels.Imaging;

namespace Mining.Kernels.Tests.Imaging;

public sealed class PreprocessorConfigTests
{
    private static string FixtureConfigPath => Path.Combine(TestData.FixtureModel, "preprocessor_config.json");

    [Fact]
    public void The_fixture_config_loads_with_its_values()
    {
        var config = PreprocessorConfig.Load(FixtureConfigPath);

        Assert.Equal(84, config.ShortestEdge);
        Assert.Equal((84, 84), (config.CropHeight, config.CropWidth));
        Assert.Equal(3, config.Resample);
        Assert.Equal(ResampleFilter.Bicubic, config.Filter);
        Assert.Equal(0.00392156862745098, config.RescaleFactor);
        Assert.Equal([0.48145466, 0.4578275, 0.40821073], config.ImageMean);
        Assert.Equal([0.26862954, 0.26130258, 0.27577711], config.ImageStd);
        Assert.True(config.DoResize && config.DoCenterCrop && config.DoRescale && config.DoNormalize && config.DoConvertRgb);
    }

    [Fact]
    public void Missing_fields_take_clip_image_processor_defaults()
    {
        var config = PreprocessorConfig.Parse("{}", "empty.json");

        Assert.Equal(224, config.ShortestEdge);
        Assert.Equal((224, 224), (config.CropHeight, config.CropWidth));
        Assert.Equal(3, config.Resample);
        Assert.Equal(1 / 255.0, config.RescaleFactor);
        Assert.Equal([0.48145466, 0.4578275, 0.40821073], config.ImageMean);
        Assert.Equal([0.26862954, 0.26130258, 0.27577711], config.ImageStd);
        Assert.True(config.DoResize && config.DoCenterCrop && config.DoRescale && config.DoNormalize && config.DoConvertRgb);
    }

    [Fact]
    public void Integer_size_and_crop_size_of_old_clip_configs_are_read()
    {
        var config = PreprocessorConfig.Parse("""{ "size": 336, "crop_size": 336, "do_center_crop": false }""", "old.json");

        Assert.Equal(336, config.ShortestEdge);
        Assert.Equal((336, 336), (config.CropHeight, config.CropWidth));
        Assert.False(config.DoCenterCrop);
    }

    [Fact]
    public void Bilinear_resampling_is_accepted()
    {
        Assert.Equal(ResampleFilter.Bilinear, PreprocessorConfig.Parse("""{ "resample": 2 }""", "c.json").Filter);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(4)]
    [InlineData(5)]
    public void An_unsupported_resample_value_is_rejected_naming_the_file_and_field(int resample)
    {
        var error = Assert.Throws<InvalidDataException>(() => PreprocessorConfig.Parse($$"""{ "resample": {{resample}} }""", "model/preprocessor_config.json"));

        Assert.Contains("model/preprocessor_config.json", error.Message);
        Assert.Contains("'resample'", error.Message);
    }

    [Fact]
    public void Malformed_json_is_rejected_naming_the_file()
    {
        var path = Path.Combine(TestData.NewTempFolder(), "preprocessor_config.json");
        File.WriteAllText(path, """{ "size": { "shortest_edge": 84 """);

        var error = Assert.Throws<InvalidDataException>(() => PreprocessorConfig.Load(path));

        Assert.Contains(path, error.Message);
        Assert.Contains("malformed JSON", error.Message);
    }

    [Theory]
    [InlineData("""{ "size": { "shortest_edge": "big" } }""", "size.shortest_edge")]
    [InlineData("""{ "size": { "shortest_edge": 0 } }""", "size.shortest_edge")]
    [InlineData("""{ "size": { "height": 84 } }""", "size")]
    [InlineData("""{ "crop_size": { "height": 84 } }""", "crop_size")]
    [InlineData("""{ "do_resize": "yes" }""", "do_resize")]
    [InlineData("""{ "image_mean": [0.5, 0.5] }""", "image_mean")]
    [InlineData("""{ "image_std": [0.5, 0.0, 0.5] }""", "image_std[1]")]
    [InlineData("""{ "rescale_factor": -1 }""", "rescale_factor")]
    [InlineData("""[1, 2]""", "top level")]
    public void A_field_with_a_wrong_value_is_rejected_naming_it(string json, string field)
    {
        var error = Assert.Throws<InvalidDataException>(() => PreprocessorConfig.Parse(json, "c.json"));

        Assert.Contains("c.json", error.Message);
        Assert.Contains(field, error.Message);
    }

    [Fact]
    public void Saved_json_has_the_same_fields_and_values_as_the_hf_file()
    {
        var path = Path.Combine(TestData.NewTempFolder(), "preprocessor_config.json");

        PreprocessorConfig.Load(FixtureConfigPath).Save(path);

        var original = JsonNode.Parse(File.ReadAllText(FixtureConfigPath));
        var written = JsonNode.Parse(File.ReadAllText(path));
        Assert.True(JsonNode.DeepEquals(original, written), $"written:\n{written}\noriginal:\n{original}");
    }

    [Fact]
    public void A_saved_config_loads_back_equal()
    {
        var config = new PreprocessorConfig
        {
            ShortestEdge = 336, CropHeight = 320, CropWidth = 336, DoCenterCrop = false, Resample = 2,
            RescaleFactor = 0.5, ImageMean = [0.1, 0.2, 0.3], ImageStd = [0.4, 0.5, 0.6], DoConvertRgb = false,
        };
        var path = Path.Combine(TestData.NewTempFolder(), "preprocessor_config.json");

        config.Save(path);
        var back = PreprocessorConfig.Load(path);

        Assert.Equal(config.ImageMean, back.ImageMean);
        Assert.Equal(config.ImageStd, back.ImageStd);
        Assert.Equal(config with { ImageMean = back.ImageMean, ImageStd = back.ImageStd }, back);
    }
}
