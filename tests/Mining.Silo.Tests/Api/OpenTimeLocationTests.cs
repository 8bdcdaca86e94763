using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Mining.Grains.Contracts;
using Mining.Silo.Clustering;

namespace Mining.Silo.Tests.Api;

/// <summary>
/// The silo checks the allowed roots where it opens a file, not only where the API took the spec: a job that comes
/// through the Orleans client port, an image swapped for a link after submission, a resumed job and a named pipe
/// in an image folder all meet the same rule.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class OpenTimeLocationTests(ApiFixture fixture)
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_job_submitted_on_the_client_port_with_outside_images_is_refused_naming_the_field()
    {
        var spec = Spec("client-port-outside", fixture.OutsideImages, fixture.Model);

        var error = await Assert.ThrowsAsync<ArgumentException>(() => SubmitOnClientPortAsync(spec));

        Assert.StartsWith($"Images: '{fixture.OutsideImages}' is outside the allowed roots", error.Message, StringComparison.Ordinal);
        Assert.Equal(JobState.None, (await fixture.Grains.GetGrain<IMiningJobGrain>(spec.JobId).GetStatus()).State);
    }

    [Fact]
    public async Task A_job_submitted_on_the_client_port_with_an_outside_model_is_refused_naming_the_field()
    {
        var spec = Spec("client-port-outside-model", fixture.NewImageFolder(["brick.png"]), fixture.OutsideModel);

        var error = await Assert.ThrowsAsync<ArgumentException>(() => SubmitOnClientPortAsync(spec));

        Assert.StartsWith($"Model: '{fixture.OutsideModel}' is outside the allowed roots", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_image_swapped_for_a_link_out_of_the_roots_after_submission_fails_when_it_is_opened()
    {
        const string id = "swap-while-held";
        var images = fixture.NewImageFolder(["brick.png", "camera.png"]);
        fixture.Gate.Hold(id);
        try
        {
            using (var submitted = await fixture.SubmitAsync(fixture.Spec(id, images, id + "-book")))
            {
                Assert.Equal(HttpStatusCode.Accepted, submitted.StatusCode);
            }

            // Accepted with both images inside; now one becomes a link to a file outside, before any is read.
            SwapForOutsideLink(Path.Combine(images, "camera.png"));
        }
        finally
        {
            fixture.Gate.Open(id);
        }

        var job = await fixture.WaitForEndAsync(id);
        Assert.Equal(1, job.GetProperty("failed").GetInt32());
        var failure = Assert.Single(job.GetProperty("failures").EnumerateArray());
        Assert.Equal("camera", failure.GetProperty("imageId").GetString());
        Assert.Contains("outside the allowed roots", failure.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain(fixture.OutsideImages, failure.GetProperty("reason").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_cancelled_job_whose_image_was_swapped_for_an_outside_link_does_not_resume()
    {
        const string id = "cancel-swap-resume";
        var images = fixture.NewImageFolder(["brick.png", "camera.png", "chelsea.png"]);
        using var client = fixture.Client();
        fixture.Gate.Hold(id);
        try
        {
            // One shard of three images: the first is mined, the second is in hand when the cancel comes.
            using (var submitted = await fixture.SubmitAsync(fixture.Spec(id, images, id + "-book", imagesPerShard: 3)))
            {
                Assert.Equal(HttpStatusCode.Accepted, submitted.StatusCode);
            }

            fixture.Gate.Release(id);
            await fixture.WaitForJobAsync(id, job => job.GetProperty("done").GetInt32() == 1);

            // The shard finishes the image in hand: the cancel answers once the held image is let through.
            var cancel = client.PostAsync($"/jobs/{id}/cancel", null, Token);
            fixture.Gate.Release(id);
            using var cancelled = await cancel;
            Assert.Equal(HttpStatusCode.OK, cancelled.StatusCode);
        }
        finally
        {
            fixture.Gate.Open(id);
        }

        await fixture.WaitForEndAsync(id);
        SwapForOutsideLink(Path.Combine(images, "chelsea.png"));

        using var resumed = await client.PostAsync($"/jobs/{id}/resume", null, Token);

        Assert.Equal(HttpStatusCode.Conflict, resumed.StatusCode);
        var problem = await resumed.Content.ReadFromJsonAsync<JsonElement>(Token);
        Assert.Contains("image 'chelsea'", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Contains("outside the allowed roots", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal("Cancelled", (await client.GetFromJsonAsync<JsonElement>($"/jobs/{id}", Token)).GetProperty("state").GetString());
    }

    [Fact]
    public async Task A_named_pipe_among_the_images_fails_that_image_and_the_job_completes()
    {
        const string id = "fifo-image";
        var images = fixture.NewImageFolder(["brick.png"]);
        ApiTestData.MakeFifo(Path.Combine(images, "pipe.png"));

        using (var submitted = await fixture.SubmitAsync(fixture.Spec(id, images, id + "-book")))
        {
            Assert.Equal(HttpStatusCode.Accepted, submitted.StatusCode);
        }

        var job = await fixture.WaitForEndAsync(id);
        Assert.Equal("Completed", job.GetProperty("state").GetString());
        var failure = Assert.Single(job.GetProperty("failures").EnumerateArray());
        Assert.Equal("pipe", failure.GetProperty("imageId").GetString());
        Assert.Contains("is not a regular file", failure.GetProperty("reason").GetString(), StringComparison.Ordinal);
    }

    /// <summary>Submits straight to the job grain through the silo's client port, as an Orleans client with no API key would.</summary>
    private async Task SubmitOnClientPortAsync(JobSpec spec)
    {
        await using var connection = await ClusterConnection.ConnectAsync(
            [new IPEndPoint(IPAddress.Loopback, fixture.GatewayPort)], fixture.ClusterId, fixture.ClusterId, cancellation: Token);
        await connection.Client.GetGrain<IMiningJobGrain>(spec.JobId).Submit(spec);
    }

    /// <summary>A spec as the CLI's <c>jobs submit --cluster</c> sends it, straight to the job grain.</summary>
    private static JobSpec Spec(string id, string images, string model) =>
        new(id, images, model, id + "-book", ApiFixture.Parameters.ToJsonString(), AllTokens: true, Mining.Kernels.Imaging.ImageAspect.Crop, ImagesPerShard: 1, ModelId: null);

    /// <summary>Replaces <paramref name="image"/> with a link to one of the fixture's images outside the roots.</summary>
    private void SwapForOutsideLink(string image)
    {
        File.Delete(image);
        File.CreateSymbolicLink(image, Path.Combine(fixture.OutsideImages, "camera.png"));
    }
}
