namespace Mining.Silo.Tests.Storage;

/// <summary>Tests that share one Azurite and one in-process cluster storing grain state in it.</summary>
[CollectionDefinition(Name)]
public sealed class AzuriteStorageCollection : ICollectionFixture<StorageClusterFixture>
{
    /// <summary>The collection's name.</summary>
    public const string Name = "Azurite storage";
}
