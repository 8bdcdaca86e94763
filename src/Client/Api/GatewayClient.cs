using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using Mining.Grains.Contracts;
using Mining.Silo.Api;
using Mining.Silo.Security;

namespace Mining.Client.Api;

/// <summary>
/// A client of a gateway silo's HTTP API (src/Silo/Api): jobs and codebook versions, with the key in the
/// <c>X-Api-Key</c> header. Every failure says which gateway: unreachable, key refused, or the API's own problem.
/// </summary>
internal sealed class GatewayClient : IDisposable
{
    /// <summary>The environment variable the CLI reads the key from when <c>--api-key</c> is not given.</summary>
    public const string KeyVariable = "MINING_API_KEY";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    private readonly HttpClient http;

    /// <summary>A client of the gateway at <paramref name="baseUrl"/> that sends <paramref name="apiKey"/>.</summary>
    public GatewayClient(Uri baseUrl, string apiKey)
    {
        ArgumentNullException.ThrowIfNull(baseUrl);
        ArgumentException.ThrowIfNullOrEmpty(apiKey);
        // A base URL with a path (behind a proxy) keeps it only with a trailing slash.
        BaseUrl = baseUrl.AbsoluteUri.EndsWith('/') ? baseUrl : new Uri(baseUrl.AbsoluteUri + "/");
        http = new HttpClient();
        http.BaseAddress = BaseUrl;
        http.Timeout = TimeSpan.FromMinutes(2);
        http.DefaultRequestHeaders.Add(ApiKeyAuthenticationHandler.HeaderName, apiKey);
    }

    /// <summary>The gateway's base URL.</summary>
    public Uri BaseUrl { get; }

    /// <summary><c>POST /jobs</c>: the job's status after submission; a refused spec raises <see cref="ArgumentException"/> naming the field.</summary>
    public async Task<JobView> SubmitAsync(JobRequest request, CancellationToken cancellation)
    {
        using var response = await SendAsync(HttpMethod.Post, JobPaths.Jobs, JsonContent.Create(request, options: Json), cancellation);
        var accepted = await ReadAsync<JobAccepted>(response, cancellation);
        return accepted.Job;
    }

    /// <summary><c>GET /jobs</c>: the jobs in submission order.</summary>
    public async Task<IReadOnlyList<JobSummary>> ListAsync(CancellationToken cancellation)
    {
        using var response = await SendAsync(HttpMethod.Get, JobPaths.Jobs, null, cancellation);
        return await ReadAsync<JobSummary[]>(response, cancellation);
    }

    /// <summary><c>GET /jobs/{id}</c>; <see cref="KeyNotFoundException"/> when the gateway knows no such job.</summary>
    public Task<JobView> JobAsync(string jobId, CancellationToken cancellation) => JobRequestAsync(HttpMethod.Get, JobPaths.Job(jobId), jobId, cancellation);

    /// <summary><c>POST /jobs/{id}/cancel</c>.</summary>
    public Task<JobView> CancelAsync(string jobId, CancellationToken cancellation) => JobRequestAsync(HttpMethod.Post, JobPaths.Job(jobId) + "/cancel", jobId, cancellation);

    /// <summary><c>POST /jobs/{id}/resume</c>.</summary>
    public Task<JobView> ResumeAsync(string jobId, CancellationToken cancellation) => JobRequestAsync(HttpMethod.Post, JobPaths.Job(jobId) + "/resume", jobId, cancellation);

    /// <summary><c>GET /codebooks/{name}</c>: its versions, oldest first; <see cref="KeyNotFoundException"/> when there is no such codebook.</summary>
    public async Task<CodebookView> CodebookAsync(string name, CancellationToken cancellation)
    {
        using var response = await SendAsync(HttpMethod.Get, CodebookPaths.Codebook(name), null, cancellation);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            throw new KeyNotFoundException($"--name: the gateway at {BaseUrl} has no codebook '{name}' ('mining jobs list' shows its jobs and their codebooks)");
        }

        return await ReadAsync<CodebookView>(response, cancellation);
    }

    /// <summary><c>GET /codebooks/{name}/versions/{version}</c>: copies the version's Parquet v1 bytes to <paramref name="destination"/> as they arrive.</summary>
    public async Task DownloadToAsync(string name, int version, Stream destination, CancellationToken cancellation)
    {
        using var response = await SendAsync(HttpMethod.Get, CodebookPaths.Version(name, version), null, cancellation, HttpCompletionOption.ResponseHeadersRead);
        await EnsureSuccessAsync(response, cancellation);
        try
        {
            await response.Content.CopyToAsync(destination, cancellation);
        }
        catch (Exception e) when (e is HttpRequestException or IOException)
        {
            // The body is streamed with its Content-Length, so a gateway that fails mid-way shows here as a short body.
            throw new GatewayApiException($"the gateway at {BaseUrl} broke off codebook '{name}' version {version}: {e.Message}", e);
        }
    }

    /// <inheritdoc />
    public void Dispose() => http.Dispose();

    private async Task<JobView> JobRequestAsync(HttpMethod method, string path, string jobId, CancellationToken cancellation)
    {
        using var response = await SendAsync(method, path, null, cancellation);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            throw new KeyNotFoundException($"job '{jobId}' is not known to the gateway at {BaseUrl} ('mining jobs list' shows the jobs it has)");
        }

        return await ReadAsync<JobView>(response, cancellation);
    }

    private async Task<HttpResponseMessage> SendAsync(
        HttpMethod method,
        string path,
        HttpContent? content,
        CancellationToken cancellation,
        HttpCompletionOption completion = HttpCompletionOption.ResponseContentRead)
    {
        using var request = new HttpRequestMessage(method, path.TrimStart('/')) { Content = content };
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, completion, cancellation);
        }
        catch (HttpRequestException e)
        {
            throw new GatewayApiException($"cannot reach the gateway at {BaseUrl}: {e.Message}", e);
        }
        catch (TaskCanceledException e) when (!cancellation.IsCancellationRequested)
        {
            throw new GatewayApiException($"the gateway at {BaseUrl} did not answer within {http.Timeout.TotalSeconds:0} s", e);
        }

        if (response.StatusCode == HttpStatusCode.Unauthorized)
        {
            response.Dispose();
            throw new GatewayApiException($"the gateway at {BaseUrl} refused the API key (401 Unauthorized): check --api-key or {KeyVariable}");
        }

        return response;
    }

    private async Task<T> ReadAsync<T>(HttpResponseMessage response, CancellationToken cancellation)
    {
        await EnsureSuccessAsync(response, cancellation);
        try
        {
            return await response.Content.ReadFromJsonAsync<T>(Json, cancellation)
                ?? throw new GatewayApiException($"the gateway at {BaseUrl} answered {response.RequestMessage?.RequestUri?.AbsolutePath} with an empty body");
        }
        catch (JsonException e)
        {
            throw new GatewayApiException($"the gateway at {BaseUrl} answered {response.RequestMessage?.RequestUri?.AbsolutePath} with JSON this CLI cannot read: {e.Message}", e);
        }
    }

    /// <summary>Turns an error answer into an exception with the API's own words (a problem document's detail and field errors).</summary>
    private async Task EnsureSuccessAsync(HttpResponseMessage response, CancellationToken cancellation)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }

        var text = await response.Content.ReadAsStringAsync(cancellation);
        var (detail, errors) = Problem(text);
        var status = (int)response.StatusCode;
        if (response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.Conflict && (errors.Count > 0 || detail is not null))
        {
            // A refused spec: the message names the field, as the Orleans path names the option.
            throw new ArgumentException(errors.Count > 0 ? string.Join("; ", errors) : detail);
        }

        var what = detail ?? (text.Length is > 0 and <= 300 ? text : response.ReasonPhrase);
        throw new GatewayApiException($"the gateway at {BaseUrl} answered {response.RequestMessage?.Method} {response.RequestMessage?.RequestUri?.AbsolutePath} with {status} {response.ReasonPhrase}: {what}");
    }

    private static (string? Detail, List<string> Errors) Problem(string text)
    {
        var errors = new List<string>();
        try
        {
            using var document = JsonDocument.Parse(text);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return (null, errors);
            }

            if (root.TryGetProperty("errors", out var fields) && fields.ValueKind == JsonValueKind.Object)
            {
                foreach (var field in fields.EnumerateObject())
                {
                    errors.AddRange(field.Value.EnumerateArray().Select(e => e.GetString() ?? field.Name));
                }
            }

            return (root.TryGetProperty("detail", out var detail) ? detail.GetString() : null, errors);
        }
        catch (JsonException)
        {
            return (null, errors);
        }
    }
}
