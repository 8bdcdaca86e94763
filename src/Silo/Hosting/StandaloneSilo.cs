using Microsoft.Extensions.Hosting;

namespace Mining.Silo.Hosting;

/// <summary>The host of <c>dotnet run --project src/Silo</c>: one silo in its own process.</summary>
public static class StandaloneSilo
{
    /// <summary>
    /// A host builder reading appsettings.json next to the executable, then environment variables
    /// (<c>MINING__SILO__SILOPORT=11112</c>), then the command line (<c>--Mining:Silo:SiloPort=11112</c>), with the silo added.
    /// </summary>
    public static HostApplicationBuilder CreateBuilder(string[] args)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            Args = args,
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.AddMiningSilo();
        return builder;
    }
}
