using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Mining.Silo.Api;

/// <summary>Answers 503 when a grain call times out or the cluster cannot be reached, instead of a bare 500.</summary>
public sealed partial class ClusterUnavailableFilter(ILogger<ClusterUnavailableFilter> logger) : IEndpointFilter
{
    /// <inheritdoc />
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        try
        {
            return await next(context);
        }
        catch (Exception e) when (e is TimeoutException or OrleansException)
        {
            LogUnavailable(logger, e, context.HttpContext.Request.Method, context.HttpContext.Request.Path);
            return TypedResults.Problem(
                statusCode: StatusCodes.Status503ServiceUnavailable,
                title: "The cluster did not answer",
                detail: e.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Method} {Path}: the cluster did not answer")]
    private static partial void LogUnavailable(ILogger logger, Exception exception, string method, string path);
}
