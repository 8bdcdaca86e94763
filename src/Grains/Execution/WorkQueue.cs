using System.Diagnostics.CodeAnalysis;
using System.Threading.Channels;

namespace Mining.Grains.Execution;

/// <summary>A channel of work with the count of items waiting in it or waiting to enter it (back-pressure).</summary>
internal sealed class WorkQueue(Channel<IWorkItem> channel)
{
    private int depth;

    public int Depth => Volatile.Read(ref depth);

    public async Task EnqueueAsync(IWorkItem item, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref depth);
        try
        {
            await channel.Writer.WriteAsync(item, cancellationToken);
        }
        catch (ChannelClosedException e)
        {
            Interlocked.Decrement(ref depth);
            throw new OperationCanceledException("the inference executor has stopped", e);
        }
        catch
        {
            Interlocked.Decrement(ref depth);
            throw;
        }
    }

    public bool WaitToRead() => channel.Reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult();

    public bool TryDequeue([MaybeNullWhen(false)] out IWorkItem item)
    {
        if (!channel.Reader.TryRead(out item))
        {
            return false;
        }

        Interlocked.Decrement(ref depth);
        return true;
    }

    public void Complete() => channel.Writer.TryComplete();
}
