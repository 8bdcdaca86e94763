using Microsoft.Extensions.Configuration;

namespace Mining.Silo.Hosting;

/// <summary>
/// The providers chosen in <c>Mining:Clustering</c>, <c>Mining:GrainStorage</c> and <c>Mining:Artifacts</c>, read
/// while the host is being built (Orleans' providers are registered then). A section that does not bind gives
/// its defaults here; the start then fails in ValidateOnStart naming the key.
/// </summary>
internal static class ProfileSettings
{
    /// <summary>The section bound as <typeparamref name="T"/>, or <typeparamref name="T"/>'s defaults when it does not bind.</summary>
    public static T Read<T>(IConfiguration configuration, string section)
        where T : new()
    {
        var options = new T();
        try
        {
            configuration.GetSection(section).Bind(options, binder => binder.ErrorOnUnknownConfiguration = true);
            return options;
        }
        catch (InvalidOperationException)
        {
            return new T();
        }
    }
}
