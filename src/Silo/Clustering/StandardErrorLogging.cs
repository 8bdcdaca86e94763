using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace Mining.Silo.Clustering;

/// <summary>Logging for hosts inside the CLI: everything to stderr, so stdout stays clean for <c>--json</c>.</summary>
internal static class StandardErrorLogging
{
    /// <summary>Replaces the providers with a console logger that writes to stderr from <paramref name="minimumLevel"/> up.</summary>
    public static ILoggingBuilder AddStandardErrorConsole(this ILoggingBuilder logging, LogLevel minimumLevel)
    {
        logging.ClearProviders();
        logging.SetMinimumLevel(minimumLevel);

        // Orleans' warnings are about running a server process (server GC, watchdog delays on a busy machine), not
        // about the command in hand; its errors still show.
        logging.AddFilter("Orleans", minimumLevel > LogLevel.Error ? minimumLevel : LogLevel.Error);
        logging.AddConsole(options => options.LogToStandardErrorThreshold = LogLevel.Trace);
        return logging;
    }
}
