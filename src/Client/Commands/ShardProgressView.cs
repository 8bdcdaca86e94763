using Mining.Grains.Contracts;

namespace Mining.Client.Commands;

/// <summary>
/// A job's progress as one bar per shard on stderr: redrawn in place on a terminal; otherwise a line whenever a
/// shard's progress or the job's state changes.
/// </summary>
internal sealed class ShardProgressView : IProgress<JobStatus>
{
    private const int Width = 20;
    private readonly bool interactive = !Console.IsErrorRedirected;
    private readonly Dictionary<int, string> lastShardLines = [];
    private string? lastHeader;
    private int drawnLines;

    public void Report(JobStatus value)
    {
        var header = $"job {value.JobId}  {value.State.ToString().ToLowerInvariant()}  {value.Done}/{value.Images} images, {value.Failed} failed";
        var shards = value.Shards.OrderBy(s => s.ShardIndex).Select(s => (s.ShardIndex, Line: ShardLine(s))).ToArray();
        if (interactive)
        {
            if (drawnLines > 0)
            {
                // Back to the first line of the previous drawing.
                Console.Error.Write($"\u001b[{drawnLines}F");
            }

            foreach (var line in shards.Select(s => s.Line).Prepend(header))
            {
                Console.Error.Write("\u001b[2K" + line + Environment.NewLine);
            }

            drawnLines = shards.Length + 1;
            return;
        }

        if (header != lastHeader)
        {
            Console.Error.WriteLine(header);
            lastHeader = header;
        }

        foreach (var (index, line) in shards)
        {
            if (!lastShardLines.TryGetValue(index, out var last) || last != line)
            {
                Console.Error.WriteLine(line);
                lastShardLines[index] = line;
            }
        }
    }

    private static string ShardLine(ShardStatus shard)
    {
        var fraction = shard.Images == 0 ? 1 : (double)shard.Done / shard.Images;
        var filled = (int)Math.Round(fraction * Width);
        var line = $"  shard {shard.ShardIndex,3} [{new string('#', filled)}{new string('.', Width - filled)}] {shard.Done,3}/{shard.Images} images, {shard.Failed} failed  {shard.State.ToString().ToLowerInvariant(),-9}";
        if (shard.Silo is { Length: > 0 } silo)
        {
            line += $"  on {silo}";
        }

        if (shard.Error is { Length: > 0 } error)
        {
            line += $"  (retrying: {error})";
        }

        return line;
    }
}
