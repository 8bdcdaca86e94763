using System.Globalization;
using Microsoft.Extensions.Hosting;
using Mining.Silo.Hosting;

// Output and parsing never depend on the machine's locale (ICU is loaded for Unicode normalisation only).
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.DefaultThreadCurrentUICulture = CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = CultureInfo.InvariantCulture;

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
