using Microsoft.Extensions.Options;

namespace Mining.Silo.Hosting;

/// <summary>Recognises the exceptions a host start throws for bad settings and says them in one line per setting.</summary>
public static class SettingsFailure
{
    /// <summary>The settings problems in <paramref name="exception"/>, or null when it is about something else.</summary>
    public static string? Describe(Exception exception) => exception switch
    {
        OptionsValidationException validation => string.Join(Environment.NewLine, validation.Failures),
        SettingsException settings => settings.Message,
        AggregateException aggregate when aggregate.InnerExceptions.All(e => Describe(e) is not null) =>
            string.Join(Environment.NewLine, aggregate.InnerExceptions.Select(e => Describe(e))),
        _ => null,
    };
}
