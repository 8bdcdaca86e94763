namespace Mining.Grains.Execution;

/// <summary>One call waiting in a <see cref="WorkQueue"/>, run by an executor thread.</summary>
internal interface IWorkItem
{
    /// <summary>Runs the call and completes its task.</summary>
    void Run();
}
