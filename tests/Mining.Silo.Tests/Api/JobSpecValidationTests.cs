using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Mining.Silo.Tests.Api;

/// <summary>POST /jobs refuses malformed specs and locations outside the allowed roots with 400 naming the field.</summary>
[Collection(ApiCollection.Name)]
public sealed class JobSpecValidationTests(ApiFixture fixture)
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_body_that_is_not_json_is_400_naming_the_body()
    {
        var errors = await PostRawAsync("{ \"images\": ");

        Assert.StartsWith("body: is not valid JSON", Assert.Single(errors["body"]), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Missing_required_fields_are_400_naming_each_field()
    {
        var errors = await PostAsync(new JsonObject { ["id"] = "missing-fields" });

        Assert.Equal(["images: is required"], errors["images"]);
        Assert.Equal(["model: is required"], errors["model"]);
        Assert.Equal(["codebook: is required"], errors["codebook"]);
    }

    [Fact]
    public async Task A_value_of_the_wrong_kind_is_400_naming_the_field()
    {
        var spec = Valid("wrong-kind");
        spec["imagesPerShard"] = "many";

        var errors = await PostAsync(spec);

        Assert.Equal(["imagesPerShard: must be an integer"], errors["imagesPerShard"]);
    }

    [Fact]
    public async Task An_unknown_field_is_400_naming_it()
    {
        var spec = Valid("unknown-field");
        spec["imagez"] = fixture.Data;

        var errors = await PostAsync(spec);

        Assert.Equal(["imagez: is not a known field"], errors["imagez"]);
    }

    [Fact]
    public async Task A_mining_parameter_out_of_range_is_400_naming_the_parameter()
    {
        var spec = Valid("bad-parameter");
        spec["parameters"] = new JsonObject { ["top1_thres"] = 2.0 };

        var errors = await PostAsync(spec);

        var message = Assert.Single(errors["parameters.top1_thres"]);
        Assert.StartsWith("parameters.top1_thres: top1_thres must lie in (0, 1]", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_mining_parameter_is_400_naming_it()
    {
        var spec = Valid("unknown-parameter");
        spec["parameters"] = new JsonObject { ["top_1_thres"] = 0.2 };

        var errors = await PostAsync(spec);

        Assert.Equal(["parameters.top_1_thres: is not a known field"], errors["parameters.top_1_thres"]);
    }

    [Fact]
    public async Task An_unknown_preset_is_400_naming_the_preset_and_the_known_ones()
    {
        var spec = Valid("unknown-preset");
        spec["preset"] = "llava-2";

        var errors = await PostAsync(spec);

        Assert.Equal(
            ["preset: unknown preset 'llava-2' (known: llava-1.5-7b, llava-1.5-13b, llava-onevision-qwen2-7b, llava-next-llama3-8b)"],
            errors["preset"]);
    }

    [Fact]
    public async Task A_preset_among_the_parameters_is_400_naming_it()
    {
        var spec = Valid("preset-in-parameters");
        spec["parameters"]!.AsObject()["preset"] = "llava-1.5-13b";

        var errors = await PostAsync(spec);

        Assert.StartsWith("parameters.preset: ", Assert.Single(errors["parameters.preset"]), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_presets_pad_token_the_model_lacks_is_400_naming_the_preset()
    {
        // OneVision pads with <|endoftext|>; the LLaVA-1.5 fixture's vocabulary has no such token. Only the grain, which reads the model, can tell.
        var spec = Valid("preset-pad-token");
        spec["preset"] = "llava-onevision-qwen2-7b";

        var errors = await PostAsync(spec);

        var message = Assert.Single(errors["preset"]);
        Assert.StartsWith("preset: ", message, StringComparison.Ordinal);
        Assert.Contains("'<|endoftext|>'", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("id", "../escape")]
    [InlineData("codebook", "a/b")]
    [InlineData("imageAspect", "stretch")]
    public async Task An_invalid_name_or_choice_is_400_naming_the_field(string field, string value)
    {
        var spec = Valid("invalid-" + field);
        spec[field] = value;

        var errors = await PostAsync(spec);

        Assert.StartsWith($"{field}: ", Assert.Single(errors[field]), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_images_folder_outside_the_allowed_roots_is_400()
    {
        var spec = Valid("outside-images");
        spec["images"] = fixture.OutsideImages;

        var errors = await PostAsync(spec);

        // The roots are not listed: the caller learns the rule, not the server's folders.
        Assert.Equal($"images: '{fixture.OutsideImages}' is outside the allowed roots", Assert.Single(errors["images"]));
    }

    [Fact]
    public async Task A_model_outside_the_allowed_roots_is_400()
    {
        var spec = Valid("outside-model");
        spec["model"] = fixture.OutsideModel;

        var errors = await PostAsync(spec);

        Assert.Contains("outside the allowed roots", Assert.Single(errors["model"]), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_dot_dot_segment_is_400_even_when_it_would_stay_inside_a_root()
    {
        var folder = fixture.NewImageFolder(["brick.png"]);
        var spec = Valid("dot-dot");
        spec["images"] = Path.Combine(fixture.Data, "..", "data", Path.GetFileName(folder));
        spec["model"] = fixture.Model + "/../llava-tiny";

        var errors = await PostAsync(spec);

        Assert.Contains("must not contain '..' segments", Assert.Single(errors["images"]), StringComparison.Ordinal);
        Assert.Contains("must not contain '..' segments", Assert.Single(errors["model"]), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_dot_dot_escape_is_400()
    {
        var spec = Valid("dot-dot-escape");
        spec["images"] = Path.Combine(fixture.Data, "..", "outside", "images");

        var errors = await PostAsync(spec);

        Assert.Contains("'..'", Assert.Single(errors["images"]), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_symlink_inside_a_root_that_leads_out_of_the_roots_is_400()
    {
        var link = Path.Combine(fixture.Data, "escape-" + Guid.NewGuid().ToString("N"));
        Directory.CreateSymbolicLink(link, fixture.OutsideImages);
        var spec = Valid("symlink-escape");
        spec["images"] = link;

        var errors = await PostAsync(spec);

        // Where the link leads is not said.
        Assert.Equal($"images: '{link}' is outside the allowed roots", Assert.Single(errors["images"]));
    }

    [Fact]
    public async Task A_relative_symlink_that_climbs_out_of_the_roots_is_400()
    {
        var link = Path.Combine(fixture.Data, "climb-" + Guid.NewGuid().ToString("N"));
        File.CreateSymbolicLink(link, Path.Combine("..", "outside", "images"));
        var spec = Valid("relative-symlink-escape");
        spec["images"] = link;

        var errors = await PostAsync(spec);

        Assert.Contains("outside the allowed roots", Assert.Single(errors["images"]), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_image_file_that_is_a_symlink_out_of_the_roots_is_400()
    {
        var folder = fixture.NewImageFolder(["brick.png"]);
        File.CreateSymbolicLink(Path.Combine(folder, "camera.png"), Path.Combine(fixture.OutsideImages, "camera.png"));
        var spec = Valid("image-symlink-escape");
        spec["images"] = folder;

        var errors = await PostAsync(spec);

        var message = Assert.Single(errors["images"]);
        Assert.Contains("image 'camera'", message, StringComparison.Ordinal);
        Assert.Contains("outside the allowed roots", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_manifest_listing_an_image_outside_the_roots_is_400()
    {
        var folder = fixture.NewImageFolder(["brick.png"]);
        var manifest = Path.Combine(folder, "manifest.csv");
        File.WriteAllText(manifest, $"image_id,path\nbrick,brick.png\ncamera,{Path.Combine(fixture.OutsideImages, "camera.png")}\n");
        var spec = Valid("manifest-escape");
        spec["images"] = manifest;

        var errors = await PostAsync(spec);

        Assert.Contains("image 'camera'", Assert.Single(errors["images"]), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_model_file_that_is_a_symlink_out_of_the_roots_is_400()
    {
        var model = ApiTestData.ModelCopy(Path.Combine(fixture.Models, "leaky-" + Guid.NewGuid().ToString("N")));
        File.Delete(Path.Combine(model, "model.safetensors"));
        File.CreateSymbolicLink(Path.Combine(model, "model.safetensors"), Path.Combine(fixture.OutsideModel, "model.safetensors"));
        var spec = Valid("model-file-symlink-escape");
        spec["model"] = model;

        var errors = await PostAsync(spec);

        Assert.Equal($"model: '{Path.Join(model, "model.safetensors")}' is outside the allowed roots", Assert.Single(errors["model"]));
    }

    [Fact]
    public async Task An_index_naming_a_shard_in_a_linked_subfolder_is_400_before_any_weights_are_read()
    {
        // The review's case: sub/ holds a link out of the roots, and only the index names it.
        var model = ApiTestData.ModelCopy(Path.Combine(fixture.Models, "deep-" + Guid.NewGuid().ToString("N")));
        var sub = Directory.CreateDirectory(Path.Combine(model, "sub")).FullName;
        File.CreateSymbolicLink(Path.Combine(sub, "model.safetensors"), Path.Combine(fixture.OutsideModel, "model.safetensors"));
        File.Move(Path.Combine(model, "model.safetensors"), Path.Combine(fixture.Models, "moved-" + Guid.NewGuid().ToString("N")));
        var index = Path.Combine(model, "model.safetensors.index.json");
        File.WriteAllText(index, """{"metadata": {}, "weight_map": {"language_model.lm_head.weight": "sub/model.safetensors"}}""");
        var spec = Valid("index-subfolder");
        spec["model"] = model;

        var errors = await PostAsync(spec);

        var message = Assert.Single(errors["model"]);
        Assert.Contains("'sub/model.safetensors', not a file beside the index", message, StringComparison.Ordinal);
        Assert.DoesNotContain(fixture.OutsideModel, message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_index_naming_a_shard_linked_out_of_the_roots_is_400()
    {
        var model = ApiTestData.ModelCopy(Path.Combine(fixture.Models, "indexed-" + Guid.NewGuid().ToString("N")));
        File.Delete(Path.Combine(model, "model.safetensors"));
        File.WriteAllText(Path.Combine(model, "model.safetensors.index.json"), """{"metadata": {}, "weight_map": {"language_model.lm_head.weight": "model-00001-of-00001.safetensors"}}""");
        File.CreateSymbolicLink(Path.Combine(model, "model-00001-of-00001.safetensors"), Path.Combine(fixture.OutsideModel, "model.safetensors"));
        var spec = Valid("index-escape");
        spec["model"] = model;

        var errors = await PostAsync(spec);

        Assert.Equal($"model: '{Path.Join(model, "model-00001-of-00001.safetensors")}' is outside the allowed roots", Assert.Single(errors["model"]));
    }

    [Fact]
    public async Task A_symlink_that_stays_inside_the_roots_is_accepted()
    {
        var folder = fixture.NewImageFolder(["brick.png"]);
        var link = Path.Combine(fixture.Data, "inside-" + Guid.NewGuid().ToString("N"));
        Directory.CreateSymbolicLink(link, folder);
        var spec = fixture.Spec("symlink-inside", link, "symlink-inside-book");

        using var response = await fixture.SubmitAsync(spec);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal("Completed", (await fixture.WaitForEndAsync("symlink-inside")).GetProperty("state").GetString());
    }

    [Fact]
    public async Task A_relative_path_is_400()
    {
        var spec = Valid("relative-path");
        spec["images"] = "data/images";

        var errors = await PostAsync(spec);

        Assert.Contains("must be an absolute path", Assert.Single(errors["images"]), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_folder_inside_a_root_is_400()
    {
        var spec = Valid("missing-folder");
        spec["images"] = Path.Combine(fixture.Data, "no-such-folder");

        var errors = await PostAsync(spec);

        Assert.Contains("does not exist", Assert.Single(errors["images"]), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_model_folder_without_a_checkpoint_is_400_naming_the_model()
    {
        var empty = Directory.CreateDirectory(Path.Combine(fixture.Models, "empty-" + Guid.NewGuid().ToString("N"))).FullName;
        var spec = Valid("no-checkpoint");
        spec["model"] = empty;

        var errors = await PostAsync(spec);

        Assert.StartsWith("model: ", Assert.Single(errors["model"]), StringComparison.Ordinal);
        Assert.Contains("config.json", errors["model"][0], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://127.0.0.1:10000/devstoreaccount1/data/images")]
    [InlineData("https://evil.example/devstoreaccount1/data/images")]
    [InlineData("http://127.0.0.1:10000/devstoreaccount1/data/../../otheraccount/images")]
    [InlineData("file:///etc/passwd")]
    public async Task A_uri_is_400_because_the_silos_read_local_paths_only(string uri)
    {
        var spec = Valid("bad-uri");
        spec["images"] = uri;

        var errors = await PostAsync(spec);

        Assert.StartsWith("images: ", Assert.Single(errors["images"]), StringComparison.Ordinal);
        Assert.Contains("blob URIs are not read", errors["images"][0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_named_pipe_as_the_manifest_is_400_without_being_opened()
    {
        var folder = fixture.NewImageFolder(["brick.png"]);
        var manifest = Path.Combine(folder, "manifest.csv");
        ApiTestData.MakeFifo(manifest);
        var spec = Valid("fifo-manifest");
        spec["images"] = manifest;

        // Opening a pipe for reading would wait for a writer that never comes; the answer comes at once instead.
        var errors = await PostAsync(spec);

        Assert.Equal($"images: '{manifest}' is not a regular file", Assert.Single(errors["images"]));
    }

    [Fact]
    public async Task A_body_over_the_size_limit_is_413_without_being_read()
    {
        var spec = Valid("too-large");
        spec["modelId"] = new string('x', ApiFixture.MaxRequestBytes);
        using var client = fixture.Client();

        using var response = await client.PostAsJsonAsync("/jobs", spec, Token);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Contains("MaxRequestBytes", await response.Content.ReadAsStringAsync(Token), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/jobs/too-large", Token)).StatusCode);
    }

    [Fact]
    public async Task A_refused_spec_starts_no_job()
    {
        var spec = Valid("refused");
        spec["images"] = fixture.OutsideImages;
        using var client = fixture.Client();

        await PostAsync(spec);

        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/jobs/refused", Token)).StatusCode);
        var jobs = await client.GetFromJsonAsync<JsonElement>("/jobs", Token);
        Assert.DoesNotContain(jobs.EnumerateArray(), job => job.GetProperty("id").GetString() == "refused");
    }

    /// <summary>A spec that would be accepted, to spoil one field of.</summary>
    private JsonObject Valid(string id) => fixture.Spec(id, fixture.NewImageFolder(["brick.png"]), "validation-book");

    private async Task<Dictionary<string, string[]>> PostAsync(JsonObject spec) => await PostRawAsync(spec.ToJsonString());

    /// <summary>POSTs <paramref name="body"/>, expects 400 and returns the problem's errors by field.</summary>
    private async Task<Dictionary<string, string[]>> PostRawAsync(string body)
    {
        using var client = fixture.Client();
        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        using var response = await client.PostAsync("/jobs", content, Token);
        var text = await response.Content.ReadAsStringAsync(Token);
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"expected 400, got {(int)response.StatusCode}: {text}");
        var problem = JsonDocument.Parse(text).RootElement;
        return problem.GetProperty("errors").Deserialize<Dictionary<string, string[]>>()!;
    }
}
