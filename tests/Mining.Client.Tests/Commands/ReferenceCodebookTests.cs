using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Mining.Probe.Codebooks;

namespace Mining.Client.Tests.Commands;

/// <summary>
/// The paper's released LLaVA-1.5-7B codebook (454 × 4096 float16) imported with <c>mining codebook import</c>,
/// inspected with <c>codebook info</c> and deduplicated with <c>codebook dedup</c>.
/// </summary>
public sealed partial class ReferenceCodebookTests
{
    /// <summary>Survivors at each cosine, measured independently by the Kernels dedup tests on the same array.</summary>
    public static TheoryData<double, int> Survivors => new() { { 0.99, 407 }, { 0.95, 220 } };

    [Fact]
    public void Import_then_info_reports_454_rows_of_width_4096_in_format_1()
    {
        using var info = InfoJson(ReferenceCodebookRuns.Imported);
        Assert.Equal(454, info.RootElement.GetProperty("rows").GetInt32());
        Assert.Equal(4096, info.RootElement.GetProperty("hidden_size").GetInt32());
        Assert.Equal("1", info.RootElement.GetProperty("format_version").GetString());
        Assert.Equal(ReferenceCodebookRuns.ModelId, info.RootElement.GetProperty("model").GetString());
    }

    [Fact]
    public void Import_keeps_each_rows_source_image_id_in_order()
    {
        var expected = JsonSerializer.Deserialize<string[]>(File.ReadAllText(TestData.ReferenceSourceIds))!;
        var codebook = CodebookParquet.Read(ReferenceCodebookRuns.Imported);
        Assert.Equal(expected, codebook.Entries.Select(e => e.SourceImageId));
        Assert.Equal(Enumerable.Range(0, 454), codebook.Entries.Select(e => e.PrototypeId));
    }

    [Theory]
    [MemberData(nameof(Survivors))]
    public void Dedup_prints_the_survivor_count_the_dedup_unit_tests_measured(double cosine, int survivors)
    {
        Assert.Equal((survivors, 454), Printed(ReferenceCodebookRuns.Dedup(cosine)));
    }

    [Theory]
    [MemberData(nameof(Survivors))]
    public void Dedup_output_info_rows_are_the_printed_survivor_count(double cosine, int survivors)
    {
        var printed = Printed(ReferenceCodebookRuns.Dedup(cosine)).Survivors;
        using var info = InfoJson(ReferenceCodebookRuns.DedupPath(cosine));
        Assert.Equal(printed, info.RootElement.GetProperty("rows").GetInt32());
        Assert.Equal(survivors, printed);
    }

    private static (int Survivors, int Total) Printed(CliResult dedup)
    {
        Assert.True(dedup.ExitCode == 0, dedup.Describe());
        var match = SurvivorPattern().Match(Assert.Single(dedup.StdoutLines));
        Assert.True(match.Success, dedup.Describe());
        return (int.Parse(match.Groups["survivors"].Value, CultureInfo.InvariantCulture), int.Parse(match.Groups["total"].Value, CultureInfo.InvariantCulture));
    }

    private static JsonDocument InfoJson(string file)
    {
        var run = ReferenceCodebookRuns.InfoJson(file);
        Assert.True(run.ExitCode == 0, run.Describe());
        return JsonDocument.Parse(run.Stdout);
    }

    [GeneratedRegex(@"^wrote .+: (?<survivors>\d+) of (?<total>\d+) prototypes survive at cosine")]
    private static partial Regex SurvivorPattern();
}
