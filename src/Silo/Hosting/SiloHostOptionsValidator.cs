using System.Net;
using Microsoft.Extensions.Options;

namespace Mining.Silo.Hosting;

/// <summary>Checks <see cref="SiloHostOptions"/> at start-up; each failure names its setting.</summary>
public sealed class SiloHostOptionsValidator : IValidateOptions<SiloHostOptions>
{
    public ValidateOptionsResult Validate(string? name, SiloHostOptions options)
    {
        var failures = new List<string>();
        if (options.SiloPort is < 1 or > IPEndPoint.MaxPort)
        {
            failures.Add($"{SiloHostOptions.Section}:SiloPort must be between 1 and {IPEndPoint.MaxPort}, got {options.SiloPort}");
        }

        if (options.GatewayPort is < 0 or > IPEndPoint.MaxPort)
        {
            failures.Add($"{SiloHostOptions.Section}:GatewayPort must be between 0 (no gateway) and {IPEndPoint.MaxPort}, got {options.GatewayPort}");
        }
        else if (options.GatewayPort == options.SiloPort)
        {
            failures.Add($"{SiloHostOptions.Section}:GatewayPort must differ from SiloPort, both are {options.SiloPort}");
        }
        else if (options.GatewayPort == 0 && options.Role == SiloRole.Gateway)
        {
            failures.Add($"{SiloHostOptions.Section}:GatewayPort must be set on a silo whose Role is Gateway");
        }

        if (!IPAddress.TryParse(options.AdvertisedAddress, out _))
        {
            failures.Add($"{SiloHostOptions.Section}:AdvertisedAddress must be an IP address, got '{options.AdvertisedAddress}'");
        }

        if (!IPAddress.TryParse(options.GatewayListenAddress, out _))
        {
            failures.Add($"{SiloHostOptions.Section}:GatewayListenAddress must be an IP address (127.0.0.1, or 0.0.0.0 for every interface), got '{options.GatewayListenAddress}'");
        }

        if (!string.IsNullOrWhiteSpace(options.PrimarySiloEndpoint))
        {
            try
            {
                ClusterEndpoints.Parse(options.PrimarySiloEndpoint, $"{SiloHostOptions.Section}:PrimarySiloEndpoint");
            }
            catch (FormatException e)
            {
                failures.Add(e.Message);
            }
        }

        if (string.IsNullOrWhiteSpace(options.ClusterId))
        {
            failures.Add($"{SiloHostOptions.Section}:ClusterId must not be empty");
        }

        if (string.IsNullOrWhiteSpace(options.ServiceId))
        {
            failures.Add($"{SiloHostOptions.Section}:ServiceId must not be empty");
        }

        for (var i = 0; i < options.AllowedRoots.Length; i++)
        {
            var root = options.AllowedRoots[i];
            if (string.IsNullOrWhiteSpace(root) || !Path.IsPathFullyQualified(root))
            {
                failures.Add($"{SiloHostOptions.Section}:AllowedRoots:{i} is '{root}'; it must be an absolute folder path");
            }
            else if (!Directory.Exists(root))
            {
                failures.Add($"{SiloHostOptions.Section}:AllowedRoots:{i} is '{root}', which is not an existing folder");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
