using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

namespace Mining.Silo.Hosting;

/// <summary>The host of <c>dotnet run --project src/Silo</c>: one silo in its own process.</summary>
public static class StandaloneSilo
{
    /// <summary>
    /// A host builder reading appsettings.json next to the executable, then appsettings.{environment}.json, then
    /// environment variables (<c>MINING__SILO__SILOPORT=11112</c>), then the command line
    /// (<c>--Mining:Silo:SiloPort=11112</c>), with the silo added. The environment is <c>DOTNET_ENVIRONMENT</c> (or
    /// <c>--environment</c>); unset, it is Development, so only <c>DOTNET_ENVIRONMENT=Production</c> loads
    /// appsettings.Production.json (Redis, Azure blob state and artifacts).
    /// </summary>
    public static HostApplicationBuilder CreateBuilder(string[] args)
    {
        var host = new ConfigurationBuilder().AddEnvironmentVariables("DOTNET_").AddCommandLine(args).Build();
        var environment = host[HostDefaults.EnvironmentKey];
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            Args = args,
            ContentRootPath = AppContext.BaseDirectory,
            EnvironmentName = string.IsNullOrWhiteSpace(environment) ? Environments.Development : environment,
        });
        builder.AddMiningSilo();
        return builder;
    }
}
