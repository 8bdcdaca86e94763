using System.Diagnostics;
using Orleans.Runtime;
using Orleans.Runtime.Messaging;

namespace Mining.Silo.Clustering;

/// <summary>
/// Retries a failed first connection once a second until <paramref name="budget"/> has passed. Orleans' default
/// backs off linearly over about three minutes, far too long for a command line pointed at the wrong port.
/// </summary>
internal sealed class BoundedConnectionRetryFilter(TimeSpan budget) : IClientConnectionRetryFilter
{
    private static readonly TimeSpan Delay = TimeSpan.FromSeconds(1);
    private readonly Stopwatch clock = Stopwatch.StartNew();

    public async Task<bool> ShouldRetryConnectionAttempt(Exception exception, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested || exception is not (ConnectionFailedException or OrleansMessageRejectionException)
            || clock.Elapsed + Delay > budget)
        {
            return false;
        }

        await Task.Delay(Delay, cancellationToken);
        return true;
    }
}
