using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Mining.Silo.Metrics;
using Mining.Silo.Security;

namespace Mining.Silo.Api;

/// <summary>Adds the gateway's HTTP API (with its dashboards and metrics) to a web host's services.</summary>
public static class MiningApiServiceCollectionExtensions
{
    /// <summary>The OpenAPI document's name (served at <c>/openapi/v1.json</c>).</summary>
    public const string OpenApiDocumentName = "v1";

    /// <summary>
    /// Registers what <see cref="MiningApiEndpointRouteBuilderExtensions.MapMiningApi"/> serves:
    /// <see cref="MiningApiOptions"/> bound from <c>Mining:Api</c> and validated when the host starts (naming the
    /// setting), the forwarded headers of <see cref="MiningApiOptions.TrustedProxies"/>, API-key authentication and its
    /// policy, the per-key rate limit (<see cref="ApiKeyRateLimit"/>), job request reading and validation, the OpenAPI
    /// document, and the Mining meter's OpenTelemetry metrics with a Prometheus exporter.
    /// </summary>
    /// <remarks>
    /// The endpoints call grains through <see cref="IGrainFactory"/>: in the gateway silo's own process that is the
    /// silo's; a separate web host adds an Orleans client instead.
    /// </remarks>
    public static IServiceCollection AddMiningApi(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<MiningApiOptions>().Bind(configuration.GetSection(MiningApiOptions.SectionName)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<MiningApiOptions>, MiningApiOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<LocationPolicy>();
        services.TryAddSingleton<JobRequestReader>();
        services.TryAddSingleton<JobRequestValidator>();
        services.TryAddEnumerable(ServiceDescriptor.Transient<IStartupFilter, TrustedProxiesStartupFilter>());

        services.AddApiKeySecurity(
            provider => provider.GetRequiredService<IOptions<MiningApiOptions>>().Value.ApiKeys,
            provider => provider.GetRequiredService<IOptions<MiningApiOptions>>().Value.SessionLifetime);

        services.AddRateLimiter(ApiKeyRateLimit.Configure);
        services.Configure<JsonOptions>(json => json.SerializerOptions.Converters.Add(new JsonStringEnumConverter()));
        services.AddProblemDetails();
        services.AddOpenApi(OpenApiDocumentName, openApi =>
        {
            openApi.AddDocumentTransformer<ApiKeySecurityTransformer>();
            openApi.AddOperationTransformer<ApiKeySecurityTransformer>();
        });
        services.AddMiningMetrics();
        return services;
    }
}
