namespace Mining.Grains.Hosting;

/// <summary>The grain storage provider the mining grains persist their (small) state in; the host registers it.</summary>
public static class MiningGrainStorage
{
    /// <summary>Provider name: register it with e.g. <c>siloBuilder.AddMemoryGrainStorage(MiningGrainStorage.Name)</c>.</summary>
    public const string Name = "mining";
}
