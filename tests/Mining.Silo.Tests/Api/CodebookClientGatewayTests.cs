using System.Net;
using System.Net.Http.Json;
using Mining.Grains.Contracts;
using Mining.Probe.Codebooks;
using Mining.Probe.Pruning;

namespace Mining.Silo.Tests.Api;

/// <summary>The probe library's <see cref="CodebookClient"/> against the real gateway: a job's codebook version, fetched with the API key, ready to prune.</summary>
[Collection(ApiCollection.Name)]
public sealed class CodebookClientGatewayTests(ApiFixture fixture)
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_probe_library_downloads_a_jobs_codebook_from_the_gateway_and_prunes_with_it()
    {
        var images = fixture.NewImageFolder(["coffee.png", "grass.png", "rocket.jpg"]);
        using (var api = fixture.Client())
        {
            using var submitted = await api.PostAsJsonAsync("/jobs", fixture.Spec("probe-client", images, "probe-client-book", imagesPerShard: 2), Token);
            Assert.Equal(HttpStatusCode.Accepted, submitted.StatusCode);
        }

        Assert.Equal("Completed", (await fixture.WaitForEndAsync("probe-client")).GetProperty("state").GetString());
        var info = Assert.Single(await fixture.Grains.GetGrain<ICodebookGrain>("probe-client-book").GetVersions());
        using var http = new HttpClient();
        var client = new CodebookClient(http, fixture.BaseAddress, fixture.Key);

        var codebook = await client.DownloadLatestAsync("probe-client-book", new CodebookRequirement("llava-tiny", info.HiddenSize), Token);

        Assert.Equal(info.Prototypes, codebook.Count);
        Assert.Equal(["probe-client"], codebook.Metadata.JobIds);
        var probe = PrototypeProbe.FromCodebook(codebook);
        var copy = codebook.Entries[0].Embedding;
        Assert.Empty(probe.Select(copy, 1, KeepRule.Threshold(0.999))); // a prototype itself is pruned
    }

    [Fact]
    public async Task Without_a_valid_key_the_gateway_refuses_and_the_client_says_so()
    {
        using var http = new HttpClient();
        var client = new CodebookClient(http, fixture.BaseAddress, "not-a-key-the-gateway-knows");
        var e = await Assert.ThrowsAsync<HttpRequestException>(() => client.DownloadAsync("any-book", 1, cancellationToken: Token));
        Assert.Equal(HttpStatusCode.Unauthorized, e.StatusCode);
        Assert.Contains("X-Api-Key", e.Message);
    }

    [Fact]
    public async Task A_version_the_gateway_does_not_have_is_a_404_with_its_reason()
    {
        using var http = new HttpClient();
        var client = new CodebookClient(http, fixture.BaseAddress, fixture.Key);
        var e = await Assert.ThrowsAsync<HttpRequestException>(() => client.DownloadAsync("no-such-book", 1, cancellationToken: Token));
        Assert.Equal(HttpStatusCode.NotFound, e.StatusCode);
        Assert.Contains("no codebook 'no-such-book'", e.Message);
    }
}
