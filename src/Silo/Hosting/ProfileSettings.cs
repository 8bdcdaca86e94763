using Microsoft.Extensions.Configuration;

namespace Mining.Silo.Hosting;

/// <summary>
/// The one binding of the silo's <c>Mining:*</c> sections. The validated options bind through <see cref="Bind{T}"/>
/// when the host starts; what must be known while the host is being built (Orleans' providers, the grains' options)
/// is read through <see cref="Read{T}"/>, which gives a section that does not bind its defaults: the start then fails
/// in ValidateOnStart naming the key.
/// </summary>
internal static class ProfileSettings
{
    /// <summary>The section bound as <typeparamref name="T"/>; a misspelt key throws <see cref="SettingsException"/> naming the section.</summary>
    public static T Bind<T>(IConfiguration configuration, string section)
        where T : class, new()
    {
        var options = new T();
        Bind(configuration, section, options);
        return options;
    }

    /// <summary>Binds the section onto <paramref name="options"/>; a misspelt key throws <see cref="SettingsException"/> naming the section.</summary>
    public static void Bind<T>(IConfiguration configuration, string section, T options)
        where T : class
    {
        try
        {
            // A misspelt key fails the start instead of silently keeping the default.
            configuration.GetSection(section).Bind(options, binder => binder.ErrorOnUnknownConfiguration = true);
        }
        catch (InvalidOperationException e)
        {
            // The binder names the key but not always its section.
            throw new SettingsException($"{section}: {e.Message}", e);
        }
    }

    /// <summary>The section bound as <typeparamref name="T"/>, or <typeparamref name="T"/>'s defaults when it does not bind.</summary>
    public static T Read<T>(IConfiguration configuration, string section)
        where T : class, new()
    {
        try
        {
            return Bind<T>(configuration, section);
        }
        catch (SettingsException)
        {
            return new T();
        }
    }
}
