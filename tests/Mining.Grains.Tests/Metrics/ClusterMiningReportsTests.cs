using Mining.Grains.Contracts;
using Mining.Grains.Metrics;

namespace Mining.Grains.Tests.Metrics;

public sealed class ClusterMiningReportsTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Silence = TimeSpan.FromSeconds(10);

    [Fact]
    public void A_silo_s_report_replaces_its_previous_report()
    {
        var reports = new ClusterMiningReports(Silence);

        reports.Record(Report("worker-a", images: 3), Start);
        reports.Record(Report("worker-a", images: 5), Start.AddSeconds(2));

        var current = Assert.Single(reports.Current(Start.AddSeconds(2)));
        Assert.Equal(Report("worker-a", images: 5), current);
    }

    [Fact]
    public void Two_silos_are_two_reports_ordered_by_name()
    {
        var reports = new ClusterMiningReports(Silence);

        reports.Record(Report("worker-b", images: 7), Start);
        reports.Record(Report("worker-a", images: 3), Start);

        Assert.Equal([Report("worker-a", images: 3), Report("worker-b", images: 7)], reports.Current(Start));
    }

    [Fact]
    public void A_silo_silent_for_longer_than_the_silence_is_dropped()
    {
        var reports = new ClusterMiningReports(Silence);
        reports.Record(Report("killed", images: 3), Start);
        reports.Record(Report("alive", images: 1), Start);
        reports.Record(Report("alive", images: 2), Start + Silence);

        var current = reports.Current(Start + Silence + TimeSpan.FromTicks(1));

        Assert.Equal([Report("alive", images: 2)], current);
    }

    [Fact]
    public void A_silo_heard_from_exactly_the_silence_ago_is_kept()
    {
        var reports = new ClusterMiningReports(Silence);
        reports.Record(Report("worker-a", images: 3), Start);

        Assert.Single(reports.Current(Start + Silence));
    }

    [Fact]
    public void A_dropped_silo_that_reports_again_is_back()
    {
        var reports = new ClusterMiningReports(Silence);
        reports.Record(Report("worker-a", images: 3), Start);
        Assert.Empty(reports.Current(Start + Silence * 2));

        reports.Record(Report("worker-a", images: 0), Start + Silence * 3);

        Assert.Equal([Report("worker-a", images: 0)], reports.Current(Start + Silence * 3));
    }

    [Fact]
    public void A_report_without_a_silo_name_is_refused()
    {
        var reports = new ClusterMiningReports(Silence);

        var error = Assert.Throws<ArgumentException>(() => reports.Record(Report(" ", images: 1), Start));

        Assert.Equal("report", error.ParamName);
    }

    [Fact]
    public void A_report_with_a_negative_total_is_refused_naming_the_silo()
    {
        var reports = new ClusterMiningReports(Silence);

        var error = Assert.Throws<ArgumentException>(() => reports.Record(Report("worker-a", images: -1), Start));

        Assert.Contains("worker-a", error.Message, StringComparison.Ordinal);
    }

    private static SiloMiningReport Report(string silo, long images) =>
        new(silo, images, ImagesFailed: 0, VariantsScored: images * 10, Faults: 0, ForwardCalls: images * 2, ForwardSeconds: images * 0.5, QueueDepth: 1, CpuQueueDepth: 0, CodebookBuilds: 0);
}
