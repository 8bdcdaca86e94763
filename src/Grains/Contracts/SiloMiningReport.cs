namespace Mining.Grains.Contracts;

/// <summary>One silo's executor totals since the silo started, as it reports them to the <see cref="IClusterMetricsGrain"/>.</summary>
/// <param name="Silo">The reporting silo's name; a later report of the same name replaces this one.</param>
/// <param name="ImagesProcessed">Images mined to a result, failed images included.</param>
/// <param name="ImagesFailed">Of those, images whose result is a failure (unreadable or undecodable).</param>
/// <param name="VariantsScored">Variants the model scored.</param>
/// <param name="Faults">Mining attempts that threw (the shard retries them).</param>
/// <param name="ForwardCalls">Forward calls of the images mined.</param>
/// <param name="ForwardSeconds">Device time of the images mined (preprocessing and vision encoding included).</param>
/// <param name="QueueDepth">Images waiting for the device when the report was made.</param>
/// <param name="CpuQueueDepth">CPU work items waiting when the report was made.</param>
/// <param name="CodebookBuilds">Codebook versions built (by the codebook grains this silo hosts).</param>
[GenerateSerializer]
[Alias("Mining.SiloMiningReport")]
public sealed record SiloMiningReport(
    [property: Id(0)] string Silo,
    [property: Id(1)] long ImagesProcessed,
    [property: Id(2)] long ImagesFailed,
    [property: Id(3)] long VariantsScored,
    [property: Id(4)] long Faults,
    [property: Id(5)] long ForwardCalls,
    [property: Id(6)] double ForwardSeconds,
    [property: Id(7)] int QueueDepth,
    [property: Id(8)] int CpuQueueDepth,
    [property: Id(9)] long CodebookBuilds);
