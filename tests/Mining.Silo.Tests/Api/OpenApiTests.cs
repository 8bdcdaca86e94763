using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Mining.Silo.Tests.Api;

/// <summary>The API serves its own OpenAPI document.</summary>
[Collection(ApiCollection.Name)]
public sealed class OpenApiTests(ApiFixture fixture)
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_openapi_document_describes_every_api_endpoint()
    {
        using var client = fixture.Client(null);

        var document = await client.GetFromJsonAsync<JsonElement>("/openapi/v1.json", Token);

        var paths = document.GetProperty("paths");
        Assert.True(paths.GetProperty("/jobs").TryGetProperty("post", out _));
        Assert.True(paths.GetProperty("/jobs").TryGetProperty("get", out _));
        Assert.True(paths.GetProperty("/jobs/{id}").TryGetProperty("get", out _));
        Assert.True(paths.GetProperty("/jobs/{id}/cancel").TryGetProperty("post", out _));
        Assert.True(paths.GetProperty("/codebooks").TryGetProperty("get", out _));
        Assert.True(paths.GetProperty("/codebooks/{name}").TryGetProperty("get", out _));
        Assert.True(paths.GetProperty("/codebooks/{name}/versions/{version}").TryGetProperty("get", out _));
        Assert.True(paths.GetProperty("/healthz").TryGetProperty("get", out _));
        Assert.DoesNotContain(paths.EnumerateObject(), path => path.Name.StartsWith("/dashboard", StringComparison.Ordinal) || path.Name.StartsWith("/mining", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_openapi_document_declares_the_api_key_header_on_protected_operations_only()
    {
        using var client = fixture.Client(null);

        var document = await client.GetFromJsonAsync<JsonElement>("/openapi/v1.json", Token);

        var scheme = document.GetProperty("components").GetProperty("securitySchemes").GetProperty("ApiKey");
        Assert.Equal("apiKey", scheme.GetProperty("type").GetString());
        Assert.Equal("header", scheme.GetProperty("in").GetString());
        Assert.Equal("X-Api-Key", scheme.GetProperty("name").GetString());
        var submit = document.GetProperty("paths").GetProperty("/jobs").GetProperty("post");
        Assert.True(submit.GetProperty("security")[0].TryGetProperty("ApiKey", out _));
        Assert.False(document.GetProperty("paths").GetProperty("/healthz").GetProperty("get").TryGetProperty("security", out _));
    }

    [Fact]
    public async Task The_job_request_schema_names_its_fields()
    {
        using var client = fixture.Client(null);

        var document = await client.GetFromJsonAsync<JsonElement>("/openapi/v1.json", Token);

        var schema = document.GetProperty("components").GetProperty("schemas").GetProperty("JobRequest").GetProperty("properties");
        Assert.Equal(
            ["allTokens", "codebook", "id", "imageAspect", "images", "imagesPerShard", "model", "modelId", "parameters", "preset"],
            schema.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task The_openapi_document_needs_no_key()
    {
        using var client = fixture.Client(null);

        using var response = await client.GetAsync("/openapi/v1.json", Token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
