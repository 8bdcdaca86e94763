using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Mining.Grains.Execution;
using Mining.Grains.Hosting;
using Mining.Kernels.Datasets;
using Mining.Kernels.Experiments;
using Mining.Kernels.Imaging;

namespace Mining.Grains.Tests.Execution;

public sealed class MiningInstrumentsTests
{
    [Fact]
    public async Task The_executor_records_images_failures_variants_and_batches_on_the_mining_meter()
    {
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var factory = services.GetRequiredService<IMeterFactory>();
        var measurements = new List<(string Name, double Value)>();
        using var listener = new MeterListener();
        // Only this test's meter: other tests' executors record on meters of the same name.
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Scope == factory && instrument.Meter.Name == MiningInstruments.MeterName)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, _, _) => { lock (measurements) { measurements.Add((instrument.Name, value)); } });
        listener.SetMeasurementEventCallback<double>((instrument, value, _, _) => { lock (measurements) { measurements.Add((instrument.Name, value)); } });
        listener.SetMeasurementEventCallback<int>((instrument, value, _, _) => { lock (measurements) { measurements.Add((instrument.Name, value)); } });
        listener.Start();
        using var executor = new InferenceExecutor(Options.Create(new MiningSiloOptions()), new NoExecutorFaults(), NullLogger<InferenceExecutor>.Instance, factory);
        var dataset = ImageDataset.Open(TestData.ImageFolder(["coffee.png"], corrupt: "corrupt.png"));

        long variants = 0;
        foreach (var image in dataset.Images)
        {
            var mined = await executor.MineAsync(new ImageMiningRequest("job", TestData.FixtureModel, new MiningParameters(), CandidateMode.Reference, ImageAspect.Crop, image), TestContext.Current.CancellationToken);
            variants += mined.VariantsScored;
        }

        listener.RecordObservableInstruments();

        double Sum(string name) => measurements.Where(m => m.Name == name).Sum(m => m.Value);
        int Count(string name) => measurements.Count(m => m.Name == name);
        Assert.True(variants > 0);
        Assert.Equal(2, Sum("mining.images.processed"));
        Assert.Equal(1, Sum("mining.images.failed"));
        Assert.Equal(variants, Sum("mining.variants.scored"));
        // The corrupt image made no forward call, so only the decoded one records a batch size and a latency.
        Assert.Equal(1, Count("mining.forward.batch_size"));
        Assert.Equal(1, Count("mining.forward.duration"));
        Assert.True(Sum("mining.forward.batch_size") >= 1);
        Assert.True(Sum("mining.forward.duration") > 0);
        Assert.Equal(0, Sum("mining.executor.queue_depth"));
        Assert.Equal(1, Count("mining.executor.queue_depth"));
    }
}
