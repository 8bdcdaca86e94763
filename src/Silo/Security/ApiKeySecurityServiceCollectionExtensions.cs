using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Mining.Silo.Security;

/// <summary>Adds API-key authentication, its policy and the Mining page sign-ins to a web host's services.</summary>
public static class ApiKeySecurityServiceCollectionExtensions
{
    /// <summary>
    /// Registers the <see cref="ApiKeyRing"/> of the configured <paramref name="keys"/>, the <see cref="DashboardSessions"/>
    /// that last <paramref name="sessionLifetime"/> (their sign-outs go to the cluster's <see cref="ISignedOutSessionsGrain"/>
    /// through the host's <see cref="IGrainFactory"/>), the <see cref="ApiKeyAuthenticationHandler"/> scheme and the
    /// <see cref="MiningApiPolicy"/> that requires it.
    /// </summary>
    public static IServiceCollection AddApiKeySecurity(
        this IServiceCollection services,
        Func<IServiceProvider, IEnumerable<string>> keys,
        Func<IServiceProvider, TimeSpan> sessionLifetime)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentNullException.ThrowIfNull(sessionLifetime);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(provider => new ApiKeyRing(keys(provider)));
        services.TryAddSingleton(provider => new DashboardSessions(
            provider.GetRequiredService<ApiKeyRing>(), sessionLifetime(provider), provider.GetRequiredService<TimeProvider>(),
            provider.GetRequiredService<IGrainFactory>()));
        services.AddAuthentication().AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);
        services.AddAuthorizationBuilder().AddPolicy(MiningApiPolicy.Name, policy => policy
            .AddAuthenticationSchemes(ApiKeyAuthenticationHandler.SchemeName)
            .RequireAuthenticatedUser());
        return services;
    }
}
