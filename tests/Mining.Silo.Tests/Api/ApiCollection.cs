namespace Mining.Silo.Tests.Api;

/// <summary>The tests that share one <see cref="ApiFixture"/> gateway; they run one after another.</summary>
[CollectionDefinition(Name)]
public sealed class ApiCollection : ICollectionFixture<ApiFixture>
{
    public const string Name = "api gateway";
}
