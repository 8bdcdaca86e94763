using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Mining.Silo.Security;
using Orleans.Dashboard;

namespace Mining.Silo.Dashboard;

/// <summary>The Orleans Dashboard (silos, grains, calls) on every silo, served by the gateway at <see cref="Path"/> behind the API key.</summary>
public static class OrleansDashboard
{
    /// <summary>Where the gateway serves the dashboard.</summary>
    public const string Path = "/dashboard";

    /// <summary>
    /// Adds the dashboard's per-silo services (statistics, grain profiling). Every silo of the cluster calls this,
    /// workers included, so the gateway's dashboard sees them all. The live log stream stays off: logs are not for
    /// every key holder.
    /// </summary>
    public static ISiloBuilder AddMiningDashboard(this ISiloBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddSingleton<OrleansDashboardAdded>();
        return builder.AddDashboard(options => options.HideTrace = true);
    }

    /// <summary>Maps the dashboard at <see cref="Path"/> behind <see cref="MiningApiPolicy"/> when this silo added it with <see cref="AddMiningDashboard"/>; otherwise maps nothing.</summary>
    public static IEndpointConventionBuilder? MapOrleansDashboardBehindKey(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        if (endpoints.ServiceProvider.GetService<OrleansDashboardAdded>() is null)
        {
            return null;
        }

        return endpoints.MapOrleansDashboard(Path).RequireAuthorization(MiningApiPolicy.Name).ExcludeFromDescription();
    }
}
