using System.Net;
using System.Text;
using Mining.Probe.Codebooks;

namespace Mining.Kernels.Tests.Probe;

/// <summary>
/// <see cref="CodebookClient"/> against a stand-in for the gateway's two codebook routes (src/Silo/Api/CodebookEndpoints):
/// <c>GET /codebooks/{name}</c> and <c>GET /codebooks/{name}/versions/{v}</c>, each behind <c>X-Api-Key</c>.
/// </summary>
public sealed class CodebookClientTests
{
    private const string Key = "a-key-of-sixteen-chars";

    private static ReferenceProbeData Data => ReferenceProbeData.Value;

    [Fact]
    public async Task A_version_downloads_from_its_url_with_the_key_in_x_api_key()
    {
        var gateway = new Gateway(File.ReadAllBytes(Data.Exported));
        var client = new CodebookClient(new HttpClient(gateway), new Uri("http://gateway.test:8080/api"), Key);

        var codebook = await client.DownloadAsync("coco", 3, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal("http://gateway.test:8080/api/codebooks/coco/versions/3", Assert.Single(gateway.Requests).Url);
        Assert.Equal(Key, gateway.Requests[0].Key);
        Assert.Equal(ReferenceProbeData.Rows, codebook.Count);
    }

    [Fact]
    public async Task The_latest_version_is_the_largest_the_gateway_lists()
    {
        var gateway = new Gateway(File.ReadAllBytes(Data.Exported));
        var client = new CodebookClient(new HttpClient(gateway), new Uri("http://gateway.test/"), Key);

        await client.DownloadLatestAsync("coco", cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(["http://gateway.test/codebooks/coco", "http://gateway.test/codebooks/coco/versions/2"], gateway.Requests.Select(r => r.Url));
    }

    [Fact]
    public async Task A_downloaded_codebook_for_another_model_is_refused_naming_the_url()
    {
        var client = new CodebookClient(new HttpClient(new Gateway(File.ReadAllBytes(Data.Exported))), new Uri("http://gateway.test/"), Key);
        var e = await Assert.ThrowsAsync<InvalidDataException>(() =>
            client.DownloadAsync("coco", 1, new CodebookRequirement("Qwen/Qwen2-VL-7B-Instruct"), TestContext.Current.CancellationToken));
        Assert.Contains("http://gateway.test/codebooks/coco/versions/1", e.Message);
        Assert.Contains("Qwen/Qwen2-VL-7B-Instruct", e.Message);
    }

    [Fact]
    public async Task A_refused_key_is_reported_with_the_status_and_the_gateways_reason()
    {
        var client = new CodebookClient(new HttpClient(new Gateway(File.ReadAllBytes(Data.Exported))), new Uri("http://gateway.test/"), "wrong");
        var e = await Assert.ThrowsAsync<HttpRequestException>(() => client.DownloadAsync("coco", 1, cancellationToken: TestContext.Current.CancellationToken));
        Assert.Equal(HttpStatusCode.Unauthorized, e.StatusCode);
        Assert.Contains("401", e.Message);
        Assert.Contains("send a valid API key in the X-Api-Key header", e.Message);
        Assert.Contains("did not accept the API key", e.Message);
    }

    [Fact]
    public async Task A_body_that_is_not_parquet_is_refused_naming_the_url()
    {
        var client = new CodebookClient(new HttpClient(new Gateway("<html>proxy error</html>"u8.ToArray())), new Uri("http://gateway.test/"), Key);
        var e = await Assert.ThrowsAsync<InvalidDataException>(() => client.DownloadAsync("coco", 1, cancellationToken: TestContext.Current.CancellationToken));
        Assert.Contains("http://gateway.test/codebooks/coco/versions/1", e.Message);
        Assert.Contains("not a readable Parquet codebook", e.Message);
    }

    /// <summary>Answers as the gateway does: 401 with problem details for another key, the version list, the Parquet bytes.</summary>
    private sealed class Gateway(byte[] parquet) : HttpMessageHandler
    {
        public List<(string Url, string? Key)> Requests { get; } = [];

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var key = request.Headers.TryGetValues(CodebookClient.ApiKeyHeader, out var values) ? values.Single() : null;
            var url = request.RequestUri!.AbsoluteUri;
            Requests.Add((url, key));
            if (key != Key)
            {
                return Task.FromResult(new HttpResponseMessage(HttpStatusCode.Unauthorized)
                {
                    Content = new StringContent("""{"title":"Unauthorized","status":401,"detail":"send a valid API key in the X-Api-Key header"}""", Encoding.UTF8, "application/problem+json"),
                });
            }

            var content = url.Contains("/versions/", StringComparison.Ordinal)
                ? new ByteArrayContent(parquet)
                : new StringContent("""{"name":"coco","versions":[{"version":1},{"version":2}]}""", Encoding.UTF8, "application/json");
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = content });
        }
    }
}
