using Orleans.Storage;

namespace Mining.Silo.Storage;

/// <summary>Settings of one <see cref="AzureBlobGrainStorage"/> provider; checked at start-up by <see cref="AzureBlobGrainStorageOptionsValidator"/>.</summary>
public sealed record AzureBlobGrainStorageOptions : IStorageProviderSerializerOptions
{
    /// <summary>Azure Storage connection string (for Azurite, the development account with its <c>BlobEndpoint</c>).</summary>
    public string ConnectionString { get; set; } = "";

    /// <summary>The container holding one blob per grain state; created at silo start when missing.</summary>
    public string ContainerName { get; set; } = "grain-state";

    /// <summary>How often the Azure SDK retries a request that failed transiently (no answer, 408, 429, 5xx).</summary>
    public int MaxRetries { get; set; } = 5;

    /// <summary>The first retry's delay; later ones grow exponentially (with jitter) up to <see cref="MaxRetryDelay"/>.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromMilliseconds(800);

    /// <summary>Upper bound of one retry delay.</summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long one attempt may wait for the service before it counts as failed (and is retried).</summary>
    public TimeSpan NetworkTimeout { get; set; } = TimeSpan.FromSeconds(100);

    /// <summary>
    /// Turns grain state into blob content and back. Left unset, the silo fills it in with the
    /// <see cref="IGrainStorageSerializer"/> registered under this provider's name, else Orleans' binary serializer
    /// (<see cref="OrleansGrainStorageSerializer"/>, which follows the state's [Id]/[Alias] attributes); see
    /// <see cref="AzureBlobGrainStorageOptionsDefaults"/> for why not the silo-wide JSON one.
    /// </summary>
    public IGrainStorageSerializer GrainStorageSerializer { get; set; } = null!;

    /// <summary>Keeps the account key out of logs: a record's generated ToString would print every property.</summary>
    public override string ToString() =>
        $"{nameof(AzureBlobGrainStorageOptions)} {{ {nameof(ContainerName)} = {ContainerName}, {nameof(MaxRetries)} = {MaxRetries}, " +
        $"{nameof(RetryDelay)} = {RetryDelay}, {nameof(MaxRetryDelay)} = {MaxRetryDelay}, {nameof(NetworkTimeout)} = {NetworkTimeout} }}";
}
