using System.Globalization;
using System.Net;
using System.Text.Json;

namespace Mining.Probe.Codebooks;

/// <summary>
/// Downloads codebook versions from a Mining gateway's HTTP API: <c>GET {api}/codebooks/{name}</c> lists the versions
/// and <c>GET {api}/codebooks/{name}/versions/{v}</c> returns one as Parquet v1, each with the key in <c>X-Api-Key</c>.
/// </summary>
/// <remarks>The <see cref="HttpClient"/> belongs to the caller (who sets its timeout and handler); this class never disposes it.</remarks>
public sealed class CodebookClient
{
    /// <summary>The request header that carries the API key.</summary>
    public const string ApiKeyHeader = "X-Api-Key";

    private readonly HttpClient _http;
    private readonly Uri _api;
    private readonly string? _apiKey;

    /// <summary>A client of the gateway at <paramref name="api"/> (e.g. <c>http://gateway:8080/</c>) sending <paramref name="apiKey"/>.</summary>
    /// <exception cref="ArgumentException"><paramref name="api"/> is not an absolute http or https URL.</exception>
    public CodebookClient(HttpClient http, Uri api, string? apiKey)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(api);
        if (!api.IsAbsoluteUri || (api.Scheme != Uri.UriSchemeHttp && api.Scheme != Uri.UriSchemeHttps))
        {
            throw new ArgumentException($"api: '{api}' must be an absolute http or https URL", nameof(api));
        }

        _http = http;
        // A base without a trailing slash would drop its last segment when a relative path is resolved against it.
        _api = api.AbsoluteUri.EndsWith('/') ? api : new Uri(api.AbsoluteUri + "/");
        _apiKey = apiKey;
    }

    /// <summary>The URL of version <paramref name="version"/> of codebook <paramref name="name"/>.</summary>
    public Uri VersionUrl(string name, int version) =>
        new(_api, string.Create(CultureInfo.InvariantCulture, $"codebooks/{Uri.EscapeDataString(name)}/versions/{version}"));

    /// <summary>
    /// Downloads version <paramref name="version"/> of codebook <paramref name="name"/>, reads it and checks it
    /// against <paramref name="requirement"/>.
    /// </summary>
    /// <exception cref="HttpRequestException">The gateway refused or failed the request; the message gives the URL, the status and the gateway's reason.</exception>
    /// <exception cref="InvalidDataException">The body is not a codebook this library reads, or the codebook is for another
    /// model or hidden size than <paramref name="requirement"/> names; the message names the URL.</exception>
    public async Task<Codebook> DownloadAsync(string name, int version, CodebookRequirement? requirement = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentOutOfRangeException.ThrowIfLessThan(version, 1);
        var url = VersionUrl(name, version);
        using var response = await SendAsync(url, cancellationToken);
        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        var codebook = await CodebookParquet.ReadAsync(body, url.ToString(), cancellationToken);
        (requirement ?? CodebookRequirement.None).Check(codebook, url.ToString());
        return codebook;
    }

    /// <summary>Downloads the newest version of codebook <paramref name="name"/>, as <see cref="DownloadAsync"/> does.</summary>
    /// <exception cref="HttpRequestException">The gateway refused or failed a request, or the codebook has no version.</exception>
    public async Task<Codebook> DownloadLatestAsync(string name, CodebookRequirement? requirement = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        var url = new Uri(_api, $"codebooks/{Uri.EscapeDataString(name)}");
        int latest;
        using (var response = await SendAsync(url, cancellationToken))
        {
            await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
            using var document = await JsonDocument.ParseAsync(body, cancellationToken: cancellationToken);
            latest = document.RootElement.TryGetProperty("versions", out var versions) && versions.ValueKind == JsonValueKind.Array
                ? versions.EnumerateArray().Select(v => v.GetProperty("version").GetInt32()).DefaultIfEmpty(0).Max()
                : throw new InvalidDataException($"{url}: the response has no 'versions' array; is this a Mining gateway?");
        }

        return latest > 0
            ? await DownloadAsync(name, latest, requirement, cancellationToken)
            : throw new HttpRequestException($"{url}: codebook '{name}' has no version yet", null, HttpStatusCode.NotFound);
    }

    private async Task<HttpResponseMessage> SendAsync(Uri url, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (_apiKey is not null)
        {
            request.Headers.Add(ApiKeyHeader, _apiKey);
        }

        var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        if (response.IsSuccessStatusCode)
        {
            return response;
        }

        using (response)
        {
            var reason = await ReasonAsync(response, cancellationToken);
            var hint = response.StatusCode == HttpStatusCode.Unauthorized
                ? _apiKey is null ? "; send an API key" : "; the gateway did not accept the API key"
                : "";
            throw new HttpRequestException(
                string.Create(CultureInfo.InvariantCulture, $"GET {url}: {(int)response.StatusCode} {response.ReasonPhrase}{(reason is null ? "" : $": {reason}")}{hint}"),
                null,
                response.StatusCode);
        }
    }

    // The gateway answers errors with RFC 9457 problem details; their "detail" says what was wrong.
    private static async Task<string?> ReasonAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            using var document = JsonDocument.Parse(text);
            return document.RootElement.TryGetProperty("detail", out var detail) ? detail.GetString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
