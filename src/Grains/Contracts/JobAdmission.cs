namespace Mining.Grains.Contracts;

/// <summary>The registry's answer to <see cref="IRegistryGrain.AdmitJob"/>.</summary>
/// <param name="Admitted">Whether the job may start.</param>
/// <param name="Running">How many other jobs of the same key were running (or starting) when it was asked.</param>
[GenerateSerializer]
[Alias("Mining.JobAdmission")]
public sealed record JobAdmission(
    [property: Id(0)] bool Admitted,
    [property: Id(1)] int Running);
