namespace Mining.Benchmarks;

/// <summary>One checkpoint load: its wall time and the process's resident memory before it and at its peak.</summary>
/// <param name="Seconds">Wall-clock seconds of the load.</param>
/// <param name="ResidentBefore">Resident bytes when it started (after freed memory was handed back).</param>
/// <param name="PeakResident">The largest resident size during it (VmHWM, reset at the start where Linux allows).</param>
/// <param name="ResidentAfter">Resident bytes when it returned, the model loaded.</param>
/// <param name="PeakIsPerLoad">Whether the peak was reset for this load; if not it is the process's peak so far.</param>
public sealed record LoadMeasurement(double Seconds, long ResidentBefore, long PeakResident, long ResidentAfter, bool PeakIsPerLoad)
{
    /// <summary>How far the load raised the resident set above where it started.</summary>
    public long PeakGrowth => PeakResident - ResidentBefore;
}
