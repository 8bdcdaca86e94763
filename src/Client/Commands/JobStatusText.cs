using System.Globalization;
using Mining.Grains.Contracts;

namespace Mining.Client.Commands;

/// <summary>Job statuses as people read them: one status in detail, or a table of many.</summary>
internal static class JobStatusText
{
    /// <summary>One job: state, counts, times, codebook, error, and a line per shard and per failed image.</summary>
    public static string Describe(JobStatus status)
    {
        var lines = new List<string>
        {
            $"job          {status.JobId}",
            $"state        {State(status.State)}",
            $"images       {status.Done} done, {status.Failed} failed, of {status.Images}",
            $"codebook     {status.CodebookName}{(status.CodebookVersion is { } v ? string.Create(CultureInfo.InvariantCulture, $" version {v}") : "")}",
            $"started      {Time(status.StartedUtc)}",
            $"finished     {Time(status.FinishedUtc)}",
        };
        if (status.Error is { Length: > 0 } error)
        {
            lines.Add($"error        {error}");
        }

        if (status.Statistics is { } s)
        {
            lines.Add($"candidates   {s.Candidates}, redundant {s.Redundant}, kept by the per-image filter {s.Kept}");
            lines.Add($"prototypes   {s.PrototypesBeforeDedup} from {s.PrototypeClustersKept} context-independent clusters, {s.PrototypesAfterDedup} after dedup");
        }

        foreach (var shard in status.Shards.OrderBy(s => s.ShardIndex))
        {
            lines.Add($"shard {shard.ShardIndex,3}    {State(shard.State),-9} {shard.Done}/{shard.Images} done, {shard.Failed} failed{(shard.Silo is { } silo ? $", on {silo}" : "")}{(shard.Error is { } e ? $", last error: {e}" : "")}");
        }

        lines.AddRange(status.Shards.OrderBy(s => s.ShardIndex).SelectMany(s => s.Failures).Select(f => $"  failed     {f.ImageId}: {f.Reason}"));
        return string.Join(Environment.NewLine, lines);
    }

    /// <summary>A table: one row per job.</summary>
    public static string Table(IEnumerable<JobStatus> statuses)
    {
        var rows = statuses.Select(s => new[]
        {
            s.JobId,
            State(s.State),
            $"{s.Done}/{s.Images}",
            s.Failed.ToString(CultureInfo.InvariantCulture),
            s.CodebookVersion is { } v ? string.Create(CultureInfo.InvariantCulture, $"{s.CodebookName} v{v}") : s.CodebookName,
            Time(s.StartedUtc),
        }).Prepend(["JOB", "STATE", "DONE", "FAILED", "CODEBOOK", "STARTED"]).ToArray();
        var widths = Enumerable.Range(0, rows[0].Length).Select(c => rows.Max(r => r[c].Length)).ToArray();
        return string.Join(Environment.NewLine, rows.Select(r => string.Join("  ", r.Select((cell, c) => cell.PadRight(widths[c]))).TrimEnd()));
    }

    private static string State<T>(T state)
        where T : Enum => state.ToString().ToLowerInvariant();

    private static string Time(DateTime? utc) => utc is { } t ? t.ToString("u", CultureInfo.InvariantCulture) : "-";
}
