using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Mining.Benchmarks;

/// <summary>The process's resident memory (Linux VmRSS and its peak VmHWM) and the means to give one measured phase its own peak.</summary>
public static class ResidentMemory
{
    /// <summary>Current and peak resident bytes.</summary>
    public static (long Current, long Peak) Read()
    {
        using var process = Process.GetCurrentProcess();
        return (process.WorkingSet64, process.PeakWorkingSet64);
    }

    /// <summary>
    /// Linux keeps the peak resident set (VmHWM) per process; writing 5 to clear_refs resets it to the current size, so a
    /// measured phase gets its own peak rather than the largest since the process started. False where that is not possible.
    /// </summary>
    public static bool TryResetPeak()
    {
        try
        {
            File.WriteAllText("/proc/self/clear_refs", "5");
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            return false;
        }
    }

    /// <summary>
    /// Collects unreachable managed objects and hands the C heap's free pages back to the system (glibc's malloc_trim), so
    /// memory an earlier phase freed is not reused unseen by the next — it would make the next phase's growth look smaller.
    /// </summary>
    public static void ReleaseFreed()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        try
        {
            _ = MallocTrim(0);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            // Not glibc: nothing to trim that this process can ask for.
        }
    }

    [DllImport("libc", EntryPoint = "malloc_trim")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int MallocTrim(nuint pad);
}
