using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Mining.Silo.Api;
using Mining.Silo.Dashboard;

namespace Mining.Silo.Hosting;

/// <summary>The host of <c>dotnet run --project src/Silo</c>: one silo in its own process.</summary>
public static class StandaloneSilo
{
    /// <summary>
    /// A host builder reading appsettings.json next to the executable, then appsettings.{environment}.json, then
    /// environment variables (<c>MINING__SILO__SILOPORT=11112</c>), then the command line
    /// (<c>--Mining:Silo:SiloPort=11112</c>), with the silo and its Orleans dashboard services added but no HTTP
    /// endpoint; <see cref="Build"/> is what the executable runs. The environment is <c>DOTNET_ENVIRONMENT</c> (or
    /// <c>--environment</c>); unset, it is Development, so only <c>DOTNET_ENVIRONMENT=Production</c> loads
    /// appsettings.Production.json (Redis, Azure blob state and artifacts).
    /// </summary>
    public static HostApplicationBuilder CreateBuilder(string[] args)
    {
        var builder = PlainBuilder(args);
        AddSilo(builder);
        return builder;
    }

    /// <summary>
    /// The silo the settings describe. A worker, or a gateway whose <c>Mining:Api:Url</c> is empty, is the plain host
    /// of <see cref="CreateBuilder"/>. A gateway is otherwise a web application that also serves, at
    /// <c>Mining:Api:Url</c> (default <see cref="MiningApiOptions.DefaultUrl"/>), the HTTP API, the Mining page,
    /// the Orleans dashboard and <c>/metrics</c>; its <c>Mining:Api</c> settings are checked at start, so a gateway
    /// without API keys refuses to start, naming the setting. Every standalone silo, worker or gateway, refuses to
    /// start without <c>Mining:Silo:AllowedRoots</c>: it opens job inputs only inside them.
    /// </summary>
    public static IHost Build(string[] args)
    {
        // The settings decide the kind of host; the silo is added only to the builder that is kept.
        var plain = PlainBuilder(args);
        if (!ServesHttp(plain.Configuration, out var url))
        {
            AddSilo(plain);
            return plain.Build();
        }

        // The plain builder's configuration watches appsettings.json; the web builder reads the same sources again.
        ((IDisposable)plain.Configuration).Dispose();
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            ContentRootPath = AppContext.BaseDirectory,
            EnvironmentName = EnvironmentOf(args),
        });
        AddSilo(builder);
        builder.WebHost.UseUrls(url);
        builder.Services.AddMiningApi(builder.Configuration);
        var app = builder.Build();
        app.MapMiningApi();
        return app;
    }

    private static HostApplicationBuilder PlainBuilder(string[] args) => Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
    {
        Args = args,
        ContentRootPath = AppContext.BaseDirectory,
        EnvironmentName = EnvironmentOf(args),
    });

    /// <summary>DOTNET_ENVIRONMENT or --environment; Development when neither is given.</summary>
    private static string EnvironmentOf(string[] args)
    {
        var host = new ConfigurationBuilder().AddEnvironmentVariables("DOTNET_").AddCommandLine(args).Build();
        var environment = host[HostDefaults.EnvironmentKey];
        return string.IsNullOrWhiteSpace(environment) ? Environments.Development : environment;
    }

    private static void AddSilo(IHostApplicationBuilder builder)
    {
        builder.AddMiningSilo();
        builder.Services.AddOptions<SiloHostOptions>().Validate(
            silo => silo.AllowedRoots.Length > 0,
            $"{SiloHostOptions.Section}:{nameof(SiloHostOptions.AllowedRoots)} is empty; a standalone silo must name the folders job datasets and models may lie in");

        // Every silo, workers included, so that the gateway's dashboard sees the whole cluster. Orleans adds this to
        // the silo AddMiningSilo configured.
        builder.UseOrleans(silo => silo.AddMiningDashboard());
    }

    /// <summary>Whether the settings make a gateway with an HTTP endpoint, and where.</summary>
    private static bool ServesHttp(IConfiguration configuration, out string url)
    {
        url = configuration[$"{MiningApiOptions.SectionName}:{nameof(MiningApiOptions.Url)}"] ?? MiningApiOptions.DefaultUrl;
        return Enum.TryParse<SiloRole>(configuration[$"{SiloHostOptions.Section}:{nameof(SiloHostOptions.Role)}"], ignoreCase: true, out var role)
            && role == SiloRole.Gateway
            && !string.IsNullOrWhiteSpace(url);
    }
}
