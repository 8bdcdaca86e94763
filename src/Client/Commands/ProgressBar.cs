using System.Diagnostics;
using Mining.Grains.Contracts;

namespace Mining.Client.Commands;

/// <summary>A job's progress as one line on stderr (redrawn in place on a terminal, one line per 10 % otherwise).</summary>
internal sealed class ProgressBar : IProgress<JobStatus>
{
    private const int Width = 30;
    private readonly bool interactive = !Console.IsErrorRedirected;
    private readonly Stopwatch clock = Stopwatch.StartNew();
    private int lastDecile = -1;
    private JobState lastState;
    private bool open;

    public void Report(JobStatus value)
    {
        var fraction = value.Images == 0 ? 1 : (double)value.Done / value.Images;
        var filled = (int)Math.Round(fraction * Width);
        var rate = value.Done / Math.Max(clock.Elapsed.TotalSeconds, 1e-9);
        var remaining = rate > 0 ? TimeSpan.FromSeconds((value.Images - value.Done) / rate) : TimeSpan.Zero;
        var tail = value.State switch
        {
            JobState.Running when value.Done == 0 => "starting",
            JobState.Running => $"{rate:F2} img/s, ~{remaining:hh\\:mm\\:ss} left",
            JobState.Assembling => "building the codebook",
            _ => value.State.ToString().ToLowerInvariant(),
        };
        var line = $"[{new string('#', filled)}{new string('.', Width - filled)}] {value.Done}/{value.Images} images, {value.Failed} failed, {tail}";
        if (interactive)
        {
            Console.Error.Write("\r" + line.PadRight(Console.WindowWidth > 0 ? Math.Min(Console.WindowWidth - 1, 120) : 100));
            open = true;
            if (JobWatcher.IsFinished(value.State))
            {
                Console.Error.WriteLine();
                open = false;
            }
        }
        else
        {
            var decile = (int)(fraction * 10);
            if (decile != lastDecile || value.State != lastState)
            {
                lastDecile = decile;
                lastState = value.State;
                Console.Error.WriteLine(line);
            }
        }
    }

    /// <summary>Ends a bar that was left mid-line (an interrupted watch), so that what follows starts on its own line.</summary>
    public void Close()
    {
        if (open)
        {
            Console.Error.WriteLine();
            open = false;
        }
    }
}
