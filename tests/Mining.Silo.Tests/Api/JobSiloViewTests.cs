using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;

namespace Mining.Silo.Tests.Api;

/// <summary><c>GET /jobs/{id}</c> names the silos that host the job and codebook grains.</summary>
[Collection(ApiCollection.Name)]
public sealed class JobSiloViewTests(ApiFixture fixture)
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_job_view_names_the_silo_endpoint_of_the_job_and_of_its_codebook()
    {
        var images = fixture.NewImageFolder(["coffee.png"]);
        using var client = fixture.Client();
        var silo = fixture.App.Services.GetRequiredService<ILocalSiloDetails>().SiloAddress.Endpoint.ToString();

        using var submitted = await client.PostAsJsonAsync("/jobs", fixture.Spec("silo-view", images, "silo-view-book"), Token);
        Assert.Equal(HttpStatusCode.Accepted, submitted.StatusCode);
        Assert.Equal("Completed", (await fixture.WaitForEndAsync("silo-view")).GetProperty("state").GetString());
        var job = await client.GetFromJsonAsync<JsonElement>("/jobs/silo-view", Token);

        // The fixture's one silo hosts everything; the codebook grain is active since the job just built its version.
        Assert.Equal(silo, job.GetProperty("jobSilo").GetString());
        Assert.Equal(silo, job.GetProperty("codebookSilo").GetString());
    }
}
