using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace Mining.Silo.Api;

/// <summary>
/// Reads the JSON body of <c>POST /jobs</c> with the size limit of <see cref="MiningApiOptions.MaxRequestBytes"/>:
/// a larger body is 413 before it is parsed; malformed JSON, an unknown field or a value of the wrong kind is a
/// <see cref="JobRequestException"/> naming the field.
/// </summary>
public sealed class JobRequestReader(IOptions<MiningApiOptions> options)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        AllowTrailingCommas = false,
        ReadCommentHandling = JsonCommentHandling.Disallow,
    };

    /// <summary>The limit in bytes.</summary>
    public long Limit => options.Value.MaxRequestBytes;

    /// <summary>The request, or null when the body is larger than <see cref="Limit"/>.</summary>
    /// <exception cref="JobRequestException">The body is not a job request.</exception>
    public async Task<JobRequest?> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var limit = Limit;
        if (request.ContentLength > limit)
        {
            return null;
        }

        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
        {
            // Lets the server refuse a chunked body early, too.
            size.MaxRequestBodySize = limit + 1;
        }

        if (!request.HasJsonContentType())
        {
            throw new JobRequestException("body", $"must be JSON (Content-Type: application/json), got '{request.ContentType}'");
        }

        var body = new MemoryStream();
        var buffer = new byte[8192];
        try
        {
            int read;
            while ((read = await request.Body.ReadAsync(buffer, cancellationToken)) > 0)
            {
                if (body.Length + read > limit)
                {
                    return null;
                }

                body.Write(buffer, 0, read);
            }
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return null;
        }

        if (body.Length == 0)
        {
            throw new JobRequestException("body", "is empty; send a JSON job spec");
        }

        var json = body.GetBuffer().AsMemory(0, (int)body.Length);
        JsonElement root;
        try
        {
            // Syntax first, so that a broken body is reported as the body's problem, not as the field it broke off in.
            using var document = JsonDocument.Parse(json);
            root = document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw new JobRequestException("body", JsonRequestErrors.DescribeSyntax(e));
        }

        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new JobRequestException("body", $"must be a JSON object, got {root.ValueKind.ToString().ToLowerInvariant()}");
        }

        try
        {
            return root.Deserialize<JobRequest>(Json)!;
        }
        catch (JsonException e)
        {
            throw new JobRequestException(JsonRequestErrors.Field(e.Path, null), JsonRequestErrors.Describe(e, typeof(JobRequest)));
        }
    }
}
