namespace Mining.Grains.Tests.Cluster;

/// <summary>An image held on an executor's device thread: <see cref="Entered"/> completes when mining reaches it.</summary>
internal sealed class ImageHold
{
    private readonly TaskCompletionSource entered = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ManualResetEventSlim gate = new(false);

    /// <summary>Completes when the executor has started on the image and is waiting.</summary>
    public Task Entered => entered.Task;

    /// <summary>Lets the executor go on with the image.</summary>
    public void Release() => gate.Set();

    /// <summary>Called on the device thread: signals arrival and blocks until released.</summary>
    public void Enter()
    {
        entered.TrySetResult();
        gate.Wait();
    }
}
