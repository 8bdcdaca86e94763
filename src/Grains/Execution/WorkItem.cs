namespace Mining.Grains.Execution;

/// <summary>A queued call whose caller awaits <see cref="Task"/>; continuations never run on the executor's thread.</summary>
internal sealed class WorkItem<T>(Func<T> work, CancellationToken cancellationToken) : IWorkItem
{
    private readonly TaskCompletionSource<T> completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task<T> Task => completion.Task;

    public void Run()
    {
        if (cancellationToken.IsCancellationRequested)
        {
            completion.TrySetCanceled(cancellationToken);
            return;
        }

        try
        {
            completion.TrySetResult(work());
        }
        catch (Exception e)
        {
            completion.TrySetException(e);
        }
    }
}
