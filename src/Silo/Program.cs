using Microsoft.Extensions.Hosting;
using Mining.Silo.Hosting;

try
{
    // A worker is a plain host; a gateway also serves the HTTP API, dashboards and /metrics at Mining:Api:Url.
    using var host = StandaloneSilo.Build(args);
    await host.RunAsync();
    return 0;
}
catch (Exception e) when (SettingsFailure.Describe(e) is { } settings)
{
    // The host has logged the details; end with the settings to fix.
    Console.Error.WriteLine($"mining-silo: error: {settings}");
    return 2;
}
