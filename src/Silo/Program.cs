using Microsoft.Extensions.Hosting;
using Mining.Silo.Hosting;

using var host = StandaloneSilo.CreateBuilder(args).Build();
try
{
    await host.RunAsync();
    return 0;
}
catch (Exception e) when (SettingsFailure.Describe(e) is { } settings)
{
    // The host has logged the details; end with the settings to fix.
    Console.Error.WriteLine($"mining-silo: error: {settings}");
    return 2;
}
