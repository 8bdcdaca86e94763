using Mining.Kernels.IO;
using System.Text.Json;
using Mining.Grains.Contracts;
using Mining.Grains.Jobs;
using Mining.Kernels.Imaging;

namespace Mining.Grains.Tests.Jobs;

/// <summary>A job's parameters are resolved where its model is read: the named preset, else the model family's, under the explicit values.</summary>
public sealed class JobSpecValidatorPresetTests
{
    private static string NextFixture => Path.Combine(TestData.Root, "fixtures", "llava-next-tiny-ref");

    private static string OnevisionFixture => Path.Combine(TestData.Root, "fixtures", "llava-ov-tiny-ref");

    private static JobSpec Spec(string fixture, string parametersJson, string? preset) =>
        new("preset-job", Path.Combine(fixture, "images"), Path.Combine(fixture, "model"), "preset-book", parametersJson, AllTokens: false, ImageAspect.Crop, ImagesPerShard: 2, ModelId: null)
        {
            Preset = preset,
        };

    [Fact]
    public void A_llava_job_without_a_preset_takes_llava_1_5_7b()
    {
        var job = JobSpecValidator.Validate(Spec(TestData.Fixture, "{}", null), "preset-job", AllowedRoots.Anywhere);

        using var parameters = JsonDocument.Parse(job.ParametersJson);
        var root = parameters.RootElement;
        Assert.Equal("llava-1.5-7b", root.GetProperty("preset").GetString());
        Assert.Equal(0.15, root.GetProperty("top1_thres").GetDouble());
        Assert.Equal(["\u2581A"], root.GetProperty("skip_leading_tokens").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal("llava", job.Family);
    }

    [Fact]
    public void A_next_job_without_a_preset_takes_llava_next_llama3_8b_and_measures_the_first_position()
    {
        var job = JobSpecValidator.Validate(Spec(NextFixture, "{}", null), "preset-job", AllowedRoots.Anywhere);

        using var parameters = JsonDocument.Parse(job.ParametersJson);
        var root = parameters.RootElement;
        Assert.Equal("llava-next-llama3-8b", root.GetProperty("preset").GetString());
        Assert.Equal(0.1, root.GetProperty("top1_thres").GetDouble());
        Assert.Equal(0.002, root.GetProperty("jsd_thres").GetDouble());
        Assert.Equal(0, root.GetProperty("skip_leading_tokens").GetArrayLength());
    }

    [Fact]
    public void A_onevision_job_without_a_preset_takes_its_preset_and_pads_with_endoftext()
    {
        var job = JobSpecValidator.Validate(Spec(OnevisionFixture, "{}", null), "preset-job", AllowedRoots.Anywhere);

        using var parameters = JsonDocument.Parse(job.ParametersJson);
        var root = parameters.RootElement;
        Assert.Equal("llava-onevision-qwen2-7b", root.GetProperty("preset").GetString());
        Assert.Equal((0.08, 0.0018), (root.GetProperty("top1_thres").GetDouble(), root.GetProperty("jsd_thres").GetDouble()));
        Assert.Equal(616, root.GetProperty("pad_token_id").GetInt32()); // <|endoftext|> in the tiny vocabulary (151643 in the real one)
        Assert.Equal(0, root.GetProperty("skip_leading_tokens").GetArrayLength());
        Assert.Equal("onevision", job.Family);
    }

    [Fact]
    public void A_named_preset_under_an_explicit_value_reaches_every_shard()
    {
        var job = JobSpecValidator.Validate(Spec(TestData.Fixture, """{"top1_thres":0.3}""", "llava-1.5-13b"), "preset-job", AllowedRoots.Anywhere);

        using var parameters = JsonDocument.Parse(job.ParametersJson);
        var root = parameters.RootElement;
        Assert.Equal("llava-1.5-13b", root.GetProperty("preset").GetString());
        Assert.Equal(0.3, root.GetProperty("top1_thres").GetDouble());
        Assert.Equal(0.0018, root.GetProperty("jsd_thres").GetDouble());
        Assert.Equal(2, job.Assignments.Count); // three images, two per shard
        Assert.All(job.Assignments, a => Assert.Equal(job.ParametersJson, a.ParametersJson));
    }

    [Fact]
    public void An_unknown_preset_is_refused_naming_the_field_and_the_known_names()
    {
        var e = Assert.Throws<ArgumentException>(() => JobSpecValidator.Validate(Spec(TestData.Fixture, "{}", "llava-2"), "preset-job", AllowedRoots.Anywhere));

        Assert.StartsWith("Preset: --preset: unknown preset 'llava-2' (known: llava-1.5-7b, llava-1.5-13b, llava-onevision-qwen2-7b, llava-next-llama3-8b)", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_presets_pad_token_the_model_lacks_is_refused_naming_the_preset_field()
    {
        // OneVision pads with <|endoftext|>, which LLaVA-1.5's SentencePiece vocabulary does not have.
        var e = Assert.Throws<ArgumentException>(() => JobSpecValidator.Validate(Spec(TestData.Fixture, "{}", "llava-onevision-qwen2-7b"), "preset-job", AllowedRoots.Anywhere));

        Assert.StartsWith("Preset: ", e.Message, StringComparison.Ordinal);
        Assert.Contains("'<|endoftext|>'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_explicit_pad_token_id_lets_that_preset_run_on_the_model()
    {
        var job = JobSpecValidator.Validate(Spec(TestData.Fixture, """{"pad_token_id":0}""", "llava-onevision-qwen2-7b"), "preset-job", AllowedRoots.Anywhere);

        using var parameters = JsonDocument.Parse(job.ParametersJson);
        Assert.Equal(24, parameters.RootElement.GetProperty("prototype_clusters").GetInt32());
        Assert.Equal(0, parameters.RootElement.GetProperty("pad_token_id").GetInt32());
    }
}
