using System.Net;
using Microsoft.Extensions.Options;

namespace Mining.Silo.Hosting;

/// <summary>Checks <see cref="MiningSiloOptions"/> at start-up; each failure names its setting.</summary>
public sealed class MiningSiloOptionsValidator : IValidateOptions<MiningSiloOptions>
{
    public ValidateOptionsResult Validate(string? name, MiningSiloOptions options)
    {
        var failures = new List<string>();
        if (options.SiloPort is < 1 or > IPEndPoint.MaxPort)
        {
            failures.Add($"{MiningSiloOptions.Section}:SiloPort must be between 1 and {IPEndPoint.MaxPort}, got {options.SiloPort}");
        }

        if (options.GatewayPort is < 0 or > IPEndPoint.MaxPort)
        {
            failures.Add($"{MiningSiloOptions.Section}:GatewayPort must be between 0 (no gateway) and {IPEndPoint.MaxPort}, got {options.GatewayPort}");
        }
        else if (options.GatewayPort == options.SiloPort)
        {
            failures.Add($"{MiningSiloOptions.Section}:GatewayPort must differ from SiloPort, both are {options.SiloPort}");
        }
        else if (options.GatewayPort == 0 && options.Role == SiloRole.Gateway)
        {
            failures.Add($"{MiningSiloOptions.Section}:GatewayPort must be set on a silo whose Role is Gateway");
        }

        if (!IPAddress.TryParse(options.AdvertisedAddress, out _))
        {
            failures.Add($"{MiningSiloOptions.Section}:AdvertisedAddress must be an IP address, got '{options.AdvertisedAddress}'");
        }

        if (!string.IsNullOrWhiteSpace(options.PrimarySiloEndpoint))
        {
            try
            {
                ClusterEndpoints.Parse(options.PrimarySiloEndpoint, $"{MiningSiloOptions.Section}:PrimarySiloEndpoint");
            }
            catch (FormatException e)
            {
                failures.Add(e.Message);
            }
        }

        if (string.IsNullOrWhiteSpace(options.ClusterId))
        {
            failures.Add($"{MiningSiloOptions.Section}:ClusterId must not be empty");
        }

        if (string.IsNullOrWhiteSpace(options.ServiceId))
        {
            failures.Add($"{MiningSiloOptions.Section}:ServiceId must not be empty");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
