using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Mining.Grains.Contracts;
using Mining.Grains.Execution;
using Mining.Silo.Metrics;

namespace Mining.Silo.Tests.Metrics;

public sealed class ClusterMiningSeriesTests
{
    [Fact]
    public void Each_shown_silo_is_one_measurement_labelled_with_its_name()
    {
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var factory = services.GetRequiredService<IMeterFactory>();
        var series = new ClusterMiningSeries(factory);
        series.Show([Report("worker-a", 3), Report("worker-b", 5)]);

        var measured = Observe(factory, "mining.cluster.images.processed");

        Assert.Equal([("worker-a", 3.0), ("worker-b", 5.0)], measured.Order());
    }

    [Fact]
    public void A_silo_no_longer_shown_is_no_longer_measured()
    {
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var factory = services.GetRequiredService<IMeterFactory>();
        var series = new ClusterMiningSeries(factory);
        series.Show([Report("worker-a", 3), Report("worker-b", 5)]);

        series.Show([Report("worker-b", 6)]);

        Assert.Equal([("worker-b", 6.0)], Observe(factory, "mining.cluster.images.processed"));
        Assert.Equal([("worker-b", 2.0)], Observe(factory, "mining.cluster.executor.queue_depth"));
    }

    /// <summary>One collection of <paramref name="instrument"/> on <paramref name="factory"/>'s Mining meter: (silo, value) pairs.</summary>
    private static List<(string Silo, double Value)> Observe(IMeterFactory factory, string instrument)
    {
        var measured = new List<(string, double)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (published, l) =>
        {
            // Only this test's meter: other tests' hosts create Mining meters of their own.
            if (published.Meter.Scope == factory && published.Meter.Name == MiningInstruments.MeterName && published.Name == instrument)
            {
                l.EnableMeasurementEvents(published);
            }
        };
        void Add(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            var silo = "";
            foreach (var tag in tags)
            {
                if (tag.Key == ClusterMiningSeries.SiloLabel)
                {
                    silo = (string)tag.Value!;
                }
            }

            measured.Add((silo, value));
        }

        listener.SetMeasurementEventCallback<long>((_, value, tags, _) => Add(value, tags));
        listener.SetMeasurementEventCallback<int>((_, value, tags, _) => Add(value, tags));
        listener.SetMeasurementEventCallback<double>((_, value, tags, _) => Add(value, tags));
        listener.Start();
        listener.RecordObservableInstruments();
        return measured;
    }

    private static SiloMiningReport Report(string silo, long images) =>
        new(silo, images, ImagesFailed: 0, VariantsScored: images * 10, Faults: 0, ForwardCalls: images * 2, ForwardSeconds: images * 0.5, QueueDepth: 2, CpuQueueDepth: 0, CodebookBuilds: 0);
}
