using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Mining.Grains.Contracts;

namespace Mining.Silo.Tests.Api;

/// <summary>A job over HTTP from submission to its codebook version, and the job endpoints around it.</summary>
[Collection(ApiCollection.Name)]
public sealed class JobLifecycleTests(ApiFixture fixture)
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_job_runs_from_submission_to_a_downloadable_codebook_version()
    {
        var images = fixture.NewImageFolder(["brick.png", "camera.png", "chelsea.png", "coffee.png"], corrupt: "corrupt.png");
        using var client = fixture.Client();

        using var submitted = await client.PostAsJsonAsync("/jobs", fixture.Spec("lifecycle", images, "lifecycle-book"), Token);
        Assert.Equal(HttpStatusCode.Accepted, submitted.StatusCode);
        Assert.Equal("/jobs/lifecycle", submitted.Headers.Location?.OriginalString);
        var accepted = await submitted.Content.ReadFromJsonAsync<JsonElement>(Token);
        Assert.Equal("lifecycle", accepted.GetProperty("id").GetString());
        Assert.Equal("/jobs/lifecycle", accepted.GetProperty("statusUrl").GetString());

        var job = await fixture.WaitForEndAsync("lifecycle");
        Assert.Equal("Completed", job.GetProperty("state").GetString());
        Assert.Equal(5, job.GetProperty("images").GetInt32());
        Assert.Equal(5, job.GetProperty("done").GetInt32());
        Assert.Equal(4, job.GetProperty("ok").GetInt32());
        Assert.Equal(1, job.GetProperty("failed").GetInt32());
        Assert.Equal(1, job.GetProperty("codebookVersion").GetInt32());
        Assert.Equal(5, job.GetProperty("shards").GetArrayLength());
        Assert.All(job.GetProperty("shards").EnumerateArray(), shard => Assert.Equal("Completed", shard.GetProperty("state").GetString()));
        var failure = Assert.Single(job.GetProperty("failures").EnumerateArray());
        Assert.Equal("corrupt", failure.GetProperty("imageId").GetString());
        Assert.False(string.IsNullOrWhiteSpace(failure.GetProperty("reason").GetString()));
        Assert.True(job.GetProperty("imagesPerSecond").GetDouble() > 0);
        Assert.Equal(JsonValueKind.Null, job.GetProperty("etaSeconds").ValueKind);
        Assert.Equal("/codebooks/lifecycle-book/versions/1", job.GetProperty("links").GetProperty("download").GetString());

        var codebook = await client.GetFromJsonAsync<JsonElement>("/codebooks/lifecycle-book", Token);
        var version = Assert.Single(codebook.GetProperty("versions").EnumerateArray());
        var info = Assert.Single(await fixture.Grains.GetGrain<ICodebookGrain>("lifecycle-book").GetVersions());
        Assert.Equal(1, version.GetProperty("version").GetInt32());
        Assert.True(info.Prototypes > 0);
        Assert.Equal(info.Prototypes, version.GetProperty("prototypes").GetInt32());
        Assert.Equal(0.185, version.GetProperty("parameters").GetProperty("top1_thres").GetDouble());
        Assert.Equal("llava-1.5-7b", version.GetProperty("parameters").GetProperty("preset").GetString()); // the llava family's
        Assert.Equal(["lifecycle"], version.GetProperty("jobIds").EnumerateArray().Select(j => j.GetString()));
        Assert.Equal("llava-tiny", version.GetProperty("model").GetString());
    }

    [Fact]
    public async Task A_named_preset_is_recorded_with_the_resolved_values_in_the_codebook_version()
    {
        var images = fixture.NewImageFolder(["coffee.png"]);
        var spec = fixture.Spec("named-preset", images, "named-preset-book");
        spec["preset"] = "llava-1.5-13b";
        spec["parameters"]!.AsObject().Remove("jsd_thres");
        using var client = fixture.Client();

        using var submitted = await client.PostAsJsonAsync("/jobs", spec, Token);
        Assert.Equal(HttpStatusCode.Accepted, submitted.StatusCode);
        Assert.Equal("Completed", (await fixture.WaitForEndAsync("named-preset")).GetProperty("state").GetString());

        var codebook = await client.GetFromJsonAsync<JsonElement>("/codebooks/named-preset-book", Token);
        var parameters = Assert.Single(codebook.GetProperty("versions").EnumerateArray()).GetProperty("parameters");
        Assert.Equal("llava-1.5-13b", parameters.GetProperty("preset").GetString());
        Assert.Equal(0.0018, parameters.GetProperty("jsd_thres").GetDouble()); // the preset's
        Assert.Equal(0.185, parameters.GetProperty("top1_thres").GetDouble()); // given
        Assert.Equal(1, parameters.GetProperty("min_unique_images").GetInt32()); // given
        Assert.Equal(0, parameters.GetProperty("pad_token_id").GetInt32());
    }

    [Fact]
    public async Task The_parquet_download_is_byte_identical_to_the_stored_artifact()
    {
        var images = fixture.NewImageFolder(["coffee.png", "grass.png", "rocket.jpg"]);
        using var client = fixture.Client();
        using var submitted = await client.PostAsJsonAsync("/jobs", fixture.Spec("download", images, "download-book", imagesPerShard: 2), Token);
        Assert.Equal(HttpStatusCode.Accepted, submitted.StatusCode);
        Assert.Equal("Completed", (await fixture.WaitForEndAsync("download")).GetProperty("state").GetString());

        using var response = await client.GetAsync("/codebooks/download-book/versions/1", Token);
        var downloaded = await response.Content.ReadAsByteArrayAsync(Token);
        var stored = await File.ReadAllBytesAsync(Path.Combine(fixture.ArtifactRoot, "codebooks", "download-book", "v1.parquet"), Token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/vnd.apache.parquet", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("download-book-v1.parquet", response.Content.Headers.ContentDisposition?.FileNameStar ?? response.Content.Headers.ContentDisposition?.FileName);
        Assert.Equal(stored.Length, response.Content.Headers.ContentLength);
        Assert.NotEmpty(stored);
        Assert.Equal(stored, downloaded);
        Assert.Equal("PAR1"u8.ToArray(), downloaded[..4]);
    }

    [Fact]
    public async Task A_job_without_an_id_gets_one_from_the_server()
    {
        var images = fixture.NewImageFolder(["brick.png"]);
        using var client = fixture.Client();

        using var submitted = await client.PostAsJsonAsync("/jobs", fixture.Spec(null, images, "generated-id"), Token);
        var accepted = await submitted.Content.ReadFromJsonAsync<JsonElement>(Token);
        var id = accepted.GetProperty("id").GetString()!;

        Assert.Equal(HttpStatusCode.Accepted, submitted.StatusCode);
        Assert.StartsWith("job-", id, StringComparison.Ordinal);
        Assert.Equal($"/jobs/{id}", submitted.Headers.Location?.OriginalString);
        Assert.Equal("Completed", (await fixture.WaitForEndAsync(id)).GetProperty("state").GetString());
    }

    [Fact]
    public async Task The_job_list_and_the_codebook_list_show_a_finished_job_and_its_codebook()
    {
        var images = fixture.NewImageFolder(["camera.png", "coins.png"]);
        using var client = fixture.Client();
        using var submitted = await client.PostAsJsonAsync("/jobs", fixture.Spec("listed", images, "listed-book"), Token);
        await fixture.WaitForEndAsync("listed");

        var jobs = await client.GetFromJsonAsync<JsonElement>("/jobs", Token);
        var codebooks = await client.GetFromJsonAsync<JsonElement>("/codebooks", Token);

        var job = Assert.Single(jobs.EnumerateArray(), j => j.GetProperty("id").GetString() == "listed");
        Assert.Equal("Completed", job.GetProperty("state").GetString());
        Assert.Equal(2, job.GetProperty("done").GetInt32());
        Assert.Equal("/jobs/listed", job.GetProperty("statusUrl").GetString());
        var codebook = Assert.Single(codebooks.EnumerateArray(), c => c.GetProperty("name").GetString() == "listed-book");
        Assert.Equal(1, codebook.GetProperty("latestVersion").GetInt32());
        Assert.Equal(1, codebook.GetProperty("versions").GetInt32());
    }

    [Fact]
    public async Task A_running_job_is_cancelled_over_http_and_keeps_its_stored_results()
    {
        var images = fixture.NewImageFolder(["brick.png", "camera.png", "chelsea.png"]);
        fixture.Gate.Hold("cancelled");
        try
        {
            using var client = fixture.Client();
            // One shard, so exactly one image is ever in hand (a second shard's image would wait at the gate).
            using var submitted = await client.PostAsJsonAsync("/jobs", fixture.Spec("cancelled", images, "cancelled-book", imagesPerShard: 3), Token);
            fixture.Gate.Release("cancelled");
            await fixture.WaitForJobAsync("cancelled", job => job.GetProperty("done").GetInt32() == 1);

            // Each shard finishes the image in hand: the cancel answers once the held image is let through.
            var cancel = client.PostAsync("/jobs/cancelled/cancel", null, Token);
            fixture.Gate.Release("cancelled");
            using var cancelled = await cancel;
            var job = await cancelled.Content.ReadFromJsonAsync<JsonElement>(Token);

            Assert.Equal(HttpStatusCode.OK, cancelled.StatusCode);
            Assert.Equal("Cancelled", job.GetProperty("state").GetString());
            Assert.Equal(2, job.GetProperty("done").GetInt32());
            Assert.Equal("Cancelled", Assert.Single(job.GetProperty("shards").EnumerateArray()).GetProperty("state").GetString());
            Assert.Equal("Cancelled", (await client.GetFromJsonAsync<JsonElement>("/jobs/cancelled", Token)).GetProperty("state").GetString());
        }
        finally
        {
            fixture.Gate.Open("cancelled");
        }
    }

    [Fact]
    public async Task A_running_job_reports_its_rate_and_an_eta()
    {
        var images = fixture.NewImageFolder(["brick.png", "camera.png", "chelsea.png"]);
        fixture.Gate.Hold("eta");
        try
        {
            using var submitted = await fixture.SubmitAsync(fixture.Spec("eta", images, "eta-book"));
            fixture.Gate.Release("eta");

            var job = await fixture.WaitForJobAsync("eta", j => j.GetProperty("done").GetInt32() == 1);

            Assert.Equal("Running", job.GetProperty("state").GetString());
            var rate = job.GetProperty("imagesPerSecond").GetDouble();
            Assert.True(rate > 0);
            Assert.Equal(2 / rate, job.GetProperty("etaSeconds").GetDouble(), 6);
            Assert.Equal(1, job.GetProperty("shards").EnumerateArray().Sum(s => s.GetProperty("done").GetInt32()));
        }
        finally
        {
            fixture.Gate.Open("eta");
        }

        await fixture.WaitForEndAsync("eta");
    }

    [Fact]
    public async Task Submitting_the_same_id_and_spec_again_returns_the_job_and_another_spec_is_a_conflict()
    {
        var images = fixture.NewImageFolder(["brick.png"]);
        var spec = fixture.Spec("twice", images, "twice-book");
        using var first = await fixture.SubmitAsync(spec);
        using var again = await fixture.SubmitAsync(spec);
        spec["codebook"] = "other-book";
        using var conflict = await fixture.SubmitAsync(spec);

        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, again.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, conflict.StatusCode);
        Assert.Contains("different spec", await conflict.Content.ReadAsStringAsync(Token), StringComparison.Ordinal);
        await fixture.WaitForEndAsync("twice");
    }

    [Theory]
    [InlineData("GET", "/jobs/no-such-job")]
    [InlineData("POST", "/jobs/no-such-job/cancel")]
    [InlineData("GET", "/jobs/not%20an%20id")]
    [InlineData("GET", "/codebooks/no-such-book")]
    [InlineData("GET", "/codebooks/no-such-book/versions/1")]
    public async Task An_unknown_job_or_codebook_is_404(string method, string path)
    {
        using var client = fixture.Client();

        using var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path), Token);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task A_version_a_codebook_does_not_have_is_404()
    {
        var images = fixture.NewImageFolder(["brick.png"]);
        using var submitted = await fixture.SubmitAsync(fixture.Spec("one-version", images, "one-version-book"));
        await fixture.WaitForEndAsync("one-version");
        using var client = fixture.Client();

        using var response = await client.GetAsync("/codebooks/one-version-book/versions/2", Token);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("version", await response.Content.ReadAsStringAsync(Token), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Healthz_answers_without_a_key_with_the_active_silos()
    {
        using var client = fixture.Client(null);

        var health = await client.GetFromJsonAsync<JsonElement>("/healthz", Token);

        Assert.Equal("healthy", health.GetProperty("status").GetString());
        Assert.Equal(1, health.GetProperty("activeSilos").GetInt32());
    }
}
