using Mining.Kernels.Pipeline;

namespace Mining.Client.Commands;

/// <summary>A one-line progress bar on stderr (redrawn in place on a terminal, one line per 10 % otherwise).</summary>
internal sealed class ProgressBar : IProgress<MiningProgress>
{
    private const int Width = 30;
    private readonly bool interactive = !Console.IsErrorRedirected;
    private int lastDecile = -1;

    public void Report(MiningProgress value)
    {
        var fraction = value.Total == 0 ? 1 : (double)value.Done / value.Total;
        var filled = (int)Math.Round(fraction * Width);
        var rate = value.Done / Math.Max(value.Elapsed.TotalSeconds, 1e-9);
        var remaining = rate > 0 ? TimeSpan.FromSeconds((value.Total - value.Done) / rate) : TimeSpan.Zero;
        var line = $"[{new string('#', filled)}{new string('.', Width - filled)}] {value.Done}/{value.Total} images, {value.Failed} failed, {rate:F2} img/s, ~{remaining:hh\\:mm\\:ss} left";
        if (interactive)
        {
            Console.Error.Write("\r" + line.PadRight(Console.WindowWidth > 0 ? Math.Min(Console.WindowWidth - 1, 120) : 100));
            if (value.Done == value.Total)
            {
                Console.Error.WriteLine();
            }
        }
        else
        {
            var decile = (int)(fraction * 10);
            if (decile != lastDecile)
            {
                lastDecile = decile;
                Console.Error.WriteLine(line);
            }
        }
    }
}
