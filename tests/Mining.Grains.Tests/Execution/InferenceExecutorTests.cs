using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Mining.Grains.Execution;
using Mining.Grains.Hosting;
using Mining.Kernels.Datasets;
using Mining.Kernels.Experiments;
using Mining.Kernels.Imaging;

namespace Mining.Grains.Tests.Execution;

public sealed class InferenceExecutorTests
{
    private static InferenceExecutor NewExecutor(IExecutorFaults? faults = null) =>
        new(Options.Create(new MiningSiloOptions()), faults ?? new NoExecutorFaults(), NullLogger<InferenceExecutor>.Instance);

    [Fact]
    public void The_guard_throws_and_counts_a_violation_on_a_thread_that_is_not_the_executors()
    {
        using var executor = NewExecutor();

        Assert.Throws<InvalidOperationException>(executor.RequireExecutorThread);
        Assert.Equal(1, executor.Metrics.GuardViolations);
    }

    [Fact]
    public async Task The_guard_throws_under_a_task_scheduler_like_an_activations()
    {
        using var executor = NewExecutor();

        // Orleans runs each activation's turns on its own TaskScheduler; an exclusive scheduler stands in for one.
        var scheduler = new ConcurrentExclusiveSchedulerPair().ExclusiveScheduler;
        var call = Task.Factory.StartNew(executor.RequireExecutorThread, CancellationToken.None, TaskCreationOptions.None, scheduler);

        await Assert.ThrowsAsync<InvalidOperationException>(() => call);
        Assert.Equal(1, executor.Metrics.GuardViolations);
    }

    [Fact]
    public async Task Cpu_work_runs_on_the_executors_own_thread()
    {
        using var executor = NewExecutor();

        var thread = await executor.RunAsync(() =>
        {
            executor.RequireExecutorThread();
            return Thread.CurrentThread.Name;
        }, TestContext.Current.CancellationToken);

        Assert.Equal("mining-cpu", thread);
        Assert.Equal(0, executor.Metrics.GuardViolations);
    }

    [Fact]
    public async Task Mining_counts_processed_images_per_job_including_failed_ones()
    {
        using var executor = NewExecutor();
        var folder = TestData.ImageFolder(["coffee.png"], corrupt: "corrupt.png");
        var dataset = ImageDataset.Open(folder);

        foreach (var image in dataset.Images)
        {
            await executor.MineAsync(new ImageMiningRequest("job", TestData.FixtureModel, new MiningParameters(), CandidateMode.Reference, ImageAspect.Crop, image), TestContext.Current.CancellationToken);
        }

        Assert.Equal(2, executor.ImagesProcessed("job"));
        Assert.Equal(0, executor.ImagesProcessed("other"));
        Assert.Equal(2, executor.Metrics.ImagesProcessed);
        Assert.Equal(1, executor.Metrics.ImagesFailed);
        Assert.Equal(1, executor.Metrics.ModelsLoaded);
        Assert.Equal(0, executor.Metrics.GuardViolations);
    }

    [Fact]
    public async Task A_throwing_image_is_a_fault_not_a_processed_image()
    {
        using var executor = NewExecutor(new ThrowingFaults());
        var image = new DatasetImage("coffee", Path.Combine(TestData.Samples, "coffee.png"));

        await Assert.ThrowsAsync<IOException>(() =>
            executor.MineAsync(new ImageMiningRequest("job", TestData.FixtureModel, new MiningParameters(), CandidateMode.Reference, ImageAspect.Crop, image), TestContext.Current.CancellationToken));

        Assert.Equal(1, executor.Metrics.Faults);
        Assert.Equal(0, executor.Metrics.ImagesProcessed);
    }

    private sealed class ThrowingFaults : IExecutorFaults
    {
        public void BeforeImage(ImageMiningRequest request) => throw new IOException("device lost");
    }
}
